/** Injection tokens for what the composition root hands the API (explicit, no reflection needed). */
export const CONTROL_PLANE = Symbol('ControlPlaneRuntime');
export const SESSIONS = Symbol('SessionStore');
export const READINESS = Symbol('Readiness');
export const API_TOKENS = Symbol('ApiTokenIndex');
export const OIDC_LOGIN = Symbol('OidcLogin');
