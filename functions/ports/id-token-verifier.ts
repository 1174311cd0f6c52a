/** Port: verifies a LIFF ID token with LINE (never trusting the browser's own profile data). */
export interface VerifiedIdToken {
  userId: string;
  /** LINE display name from the token (LINE's data, not the browser's). */
  name: string;
  /** Epoch seconds. */
  exp: number;
}

export class InvalidIdTokenError extends Error {
  constructor(readonly reason: string) {
    super(`ID token refused: ${reason}`);
    this.name = 'InvalidIdTokenError';
  }
}

export interface IdTokenVerifier {
  /** Throws InvalidIdTokenError when LINE refuses the token. */
  verify(idToken: string): Promise<VerifiedIdToken>;
}
