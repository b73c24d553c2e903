/** Error texts the fake Docker Hub answers with, verbatim from the reference (section 7.2). */
export const INCORRECT_CREDENTIALS = 'incorrect username or password';
export const PAT_EXPIRED = 'personal access token is expired';
export const INSUFFICIENT_SCOPES = 'access token has insufficient scopes';
export const PAT_REQUIRED = 'your account must log in with a Personal Access Token (PAT) - learn more at docs.docker.com/go/access-tokens';
export const ACCESS_DENIED = 'requested access to the resource is denied';
export const HUB_LOGIN_FAILED = 'Incorrect authentication credentials';
export const HUB_2FA_REQUIRED = 'Require secondary authentication on MFA enabled account';
export const HUB_UNAUTHORIZED = 'unauthorized';
export const HUB_PAT_NOT_ALLOWED = 'token issued from personal access token is not allowed';
export const HUB_OAT_NOT_ALLOWED = 'token issued from organization access token is not allowed';
