import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgeAudit } from '../scripts/audit.ts';

// Outputs of `npm audit --json` (npm 11), recorded against a local registry that answered as named.
const report = (counts: Record<string, number>, vulnerabilities: Record<string, unknown> = {}) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) }, dependencies: { prod: 155, dev: 99, optional: 81, peer: 0, peerOptional: 0, total: 281 } } });
const YAML_HIGH = {
  yaml: {
    name: 'yaml', severity: 'high', isDirect: true, effects: ['@fastify/swagger', 'vite'], range: '*', nodes: ['node_modules/yaml'],
    via: [{ source: 1099999, name: 'yaml', dependency: 'yaml', title: 'Test advisory in yaml', url: 'https://github.com/advisories/GHSA-test-test-test', severity: 'high', cwe: ['CWE-400'], cvss: { score: 7.5, vectorString: null }, range: '<3.0.0' }],
    fixAvailable: { name: '@fastify/swagger', version: '7.4.1', isSemVerMajor: true },
  },
  vite: { name: 'vite', severity: 'high', isDirect: true, via: ['yaml'], effects: ['@vitejs/plugin-react'], range: '>=6.0.0-alpha.0', nodes: ['node_modules/vite'], fixAvailable: { name: 'vite', version: '5.4.21', isSemVerMajor: true } },
};
const httpError = (status: number, text: string) => JSON.stringify({
  message: `${status} ${text} - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk`, method: 'POST',
  uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', headers: {}, statusCode: status, body: '', error: { summary: '', detail: '' },
});
const networkError = (reason: string) => JSON.stringify({ message: `request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed, reason: ${reason}`, error: { summary: '', detail: '' } });
const failedRun = (stdout: string, stderr = 'npm error audit endpoint returned an error') => ({ status: 1, stdout, stderr });

describe('the dependency audit of the test command', () => {
  test('a known high vulnerability fails the run and names the package and the advisory', () => {
    const d = judgeAudit(failedRun(report({ high: 4 }, YAML_HIGH)));
    assert.equal(d.outcome, 'fail');
    assert.match(d.message, /0 critical and 4 high/);
    assert.match(d.message, /high yaml: Test advisory in yaml https:\/\/github.com\/advisories\/GHSA-test-test-test/);
    assert.match(d.message, /high vite: through yaml/);
  });

  test('a critical one fails too', () => {
    assert.equal(judgeAudit(failedRun(report({ critical: 1 }))).outcome, 'fail');
  });

  test('moderate, low and info vulnerabilities do not fail it, and are counted', () => {
    const d = judgeAudit(failedRun(report({ moderate: 2, low: 1 })));
    assert.equal(d.outcome, 'pass');
    assert.match(d.message, /3 known in all: 2 moderate, 1 low/);
    assert.equal(judgeAudit({ status: 0, stdout: report({}), stderr: '' }).outcome, 'pass');
  });

  test('an unreachable registry, a 5xx, a 429 or a registry without the audit endpoint is a warning, and the run goes on', () => {
    for (const stdout of [
      networkError('getaddrinfo ENOTFOUND registry.npmjs.org'), networkError('getaddrinfo EAI_AGAIN registry.npmjs.org'),
      networkError('connect ECONNREFUSED 127.0.0.1:443'), networkError('read ECONNRESET'), networkError('connect ETIMEDOUT 104.16.0.35:443'),
      httpError(500, 'Internal Server Error'), httpError(502, 'Bad Gateway'), httpError(503, 'Service Unavailable'), httpError(429, 'Too Many Requests'),
      httpError(405, 'Method Not Allowed'), httpError(404, 'Not Found'),
    ]) {
      const d = judgeAudit(failedRun(stdout));
      assert.equal(d.outcome, 'unavailable', stdout);
      assert.match(d.message, /^WARNING: the dependency audit did not run: the registry's audit endpoint could not be reached/);
    }
    // npm itself timing out waiting for the registry
    assert.equal(judgeAudit({ status: null, stdout: '', stderr: '', spawnError: 'ETIMEDOUT spawnSync npm ETIMEDOUT' }).outcome, 'unavailable');
    // a network error npm reports on stderr only
    assert.equal(judgeAudit({ status: 1, stdout: '', stderr: 'npm error code ENOTFOUND\nnpm error network request failed' }).outcome, 'unavailable');
  });

  test('what needs fixing in the project fails: no lockfile, credentials refused, no report at all, npm not runnable', () => {
    const noLock = JSON.stringify({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.', detail: 'Try creating one first with: npm i --package-lock-only' } });
    assert.equal(judgeAudit(failedRun(noLock)).outcome, 'fail');
    assert.equal(judgeAudit(failedRun(httpError(401, 'Unauthorized'))).outcome, 'fail');
    assert.equal(judgeAudit(failedRun(httpError(403, 'Forbidden'))).outcome, 'fail');
    assert.equal(judgeAudit(failedRun('npm ERR! something unexpected', 'npm ERR! something unexpected')).outcome, 'fail');
    assert.equal(judgeAudit({ status: null, stdout: '', stderr: '', spawnError: 'ENOENT spawnSync npm ENOENT' }).outcome, 'fail');
  });
});
