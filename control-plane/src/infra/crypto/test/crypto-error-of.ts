import { CryptoError } from '../crypto-error.js';

/** Runs `fn` and returns the CryptoError it throws; fails the test if it throws anything else or nothing. */
export const cryptoErrorOf = (fn: () => unknown): CryptoError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error;
    throw error;
  }
  throw new Error('expected a CryptoError, nothing was thrown');
};
