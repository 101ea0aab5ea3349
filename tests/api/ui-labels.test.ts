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

describe('the web UI’s pages', () => {
  it.each([
    ['index.html', '上传材料', 'upload.js'],
    ['report.html', '检查报告', 'report.js'],
    ['batch.html', '批量预审', 'batch.js'],
    ['checklists.html', '检查清单', 'checklists.js'],
  ])('%s is the shared shell with its own title and script', async (page, title, script) => {
    const response = await api.app.inject({ url: `/ui/${page}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain(`<title>${title} - 电子政务项目材料完整性检查</title>`);
    expect(response.body).toContain(`<script type="module" src="/ui/${script}"></script>`);
    expect(response.body).not.toContain('{{');
  });

  it('does not serve the shell itself', async () => {
    const response = await api.app.inject({ url: '/ui/page.template.html' });
    expect([400, 404]).toContain(response.statusCode);
    expect(response.body).not.toContain('{{title}}');
  });
});
