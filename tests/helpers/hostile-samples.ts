import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A reproducer from ../shared/samples/hostile; a missing one fails the test that needs it, with the path. */
export function hostileSample(name: string): string {
  const path = fileURLToPath(new URL(`../../../shared/samples/hostile/${name}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`缺少测试输入：${path}（应在仓库旁的 ../shared/samples/hostile/ 中）`);
  return path;
}
