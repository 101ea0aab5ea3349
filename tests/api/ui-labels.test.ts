import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsModuleForUi, STATUS_LABEL } from '../../pipeline/report/labels.ts';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

describe('the web UI’s labels', () => {
  it('are served from the reports’ own labels, so the screen and the report say the same words', async () => {
    const response = await api.app.inject({ url: '/ui/labels.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.body).toBe(labelsModuleForUi());
    expect(response.body).toContain(`export const STATUS_LABEL = ${JSON.stringify(STATUS_LABEL)};`);
  });

  it('are what every page imports through common.js', async () => {
    const common = await api.app.inject({ url: '/ui/common.js' });
    expect(common.body).toContain("from './labels.js'");
    expect(common.body).not.toContain("'已提交'");
  });
});
