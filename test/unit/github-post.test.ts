import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeCredential } from '../../src/core/credential-store.js';
import { run } from '../../src/github/run-post.js';
import { addEnvDumpingHelper, makeTempDir, makeTestHelper, removeDir } from './credential-harness.js';
import { setInputs, useCapturedStdout } from './github-harness.js';

const root = makeTempDir('github-post');
afterAll(() => removeDir(root));
const stdout = useCapturedStdout();

describe('the post step', () => {
  it("logs out through the credential helper without handing it the Action's secret inputs", async () => {
    const helper = makeTestHelper(root);
    const helperEnvironments = addEnvDumpingHelper(helper);
    const dockerConfigDir = join(root, 'docker');
    mkdirSync(dockerConfigDir);
    writeFileSync(join(dockerConfigDir, 'config.json'), '{"credsStore": "envdump"}');
    const token = 'dckr_pat_PostStep00000000000000000001';
    const helperEnv = { PATH: helper.env.PATH, TESTHELPER_DIR: helper.storeDir };
    const record = await storeCredential({ dockerConfigDir, credentialKey: 'post.example', username: 'alice', secret: token, env: helperEnv });
    const environmentsAtLogin = helperEnvironments();

    Object.assign(process.env, helperEnv, { STATE_credential: JSON.stringify(record), STATE_logout: 'true' });
    setInputs({ username: 'alice', password: `${token}\n`, 'hub-password': 'hub-account-pass' });
    await run();

    expect(stdout.text()).toContain(`Logged out: removed the credentials this step wrote to ${dockerConfigDir}.`);
    expect(helper.stored('post.example')).toBeUndefined();
    const atLogout = helperEnvironments().slice(environmentsAtLogin.length);
    expect(atLogout).toContain(`TESTHELPER_DIR=${helper.storeDir}`);
    for (const secret of [token, 'hub-account-pass']) expect(atLogout).not.toContain(secret);
  });
});
