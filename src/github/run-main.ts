import { createMaskedSecretRegistry } from './masking.js';
import { describeFailure, failStep } from './annotations.js';
import { readActionSettings } from './inputs.js';
import { runLogin } from './login-flow.js';

/** The Action's main step; exported for @github/local-action, called by main.ts. */
export async function run(): Promise<void> {
  const secrets = createMaskedSecretRegistry();
  try {
    const settings = readActionSettings(secrets);
    if (settings.mode === 'audit') {
      // Loaded only in audit mode: it pulls in @actions/github, which the login never needs.
      const { runAudit } = await import('./audit-flow.js');
      await runAudit(settings, secrets);
    } else {
      await runLogin(settings, secrets);
    }
  } catch (error) {
    failStep(describeFailure(error), secrets);
  }
}
