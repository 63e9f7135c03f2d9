import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptoError } from './crypto-error.js';
import { createRegionSealer, generateRegionKeyPair, type RegionPublicKey, type RegionSealer } from './region-sealer.js';
import { generateSigningKeyPair, type SigningKeyPair } from './snapshot-signer.js';
import { Vault } from './vault.js';

interface VaultFile {
  activeKeyId: string;
  keys: Record<string, string>;
}
interface RegionFile extends RegionPublicKey {
  /** Present only where the region's proxies run in this process (the embedded default). */
  privateKeyPem?: string;
}

/**
 * The control plane's key material in one folder (mode 0700, files 0600):
 *   signing.json            Ed25519 snapshot signing key {keyId, privateKeyPem, publicKeyPem}
 *   vault.json              AES-256 vault keys {activeKeyId, keys: {id: base64}}
 *   regions/<region>.json   a region's RSA key {keyId, publicKeyPem[, privateKeyPem]}
 * In development a missing key is generated on first use; in production it is an error that names
 * the file, so a misconfigured deployment fails at start instead of minting keys nobody trusts.
 */
export class KeyStore {
  private readonly sealers = new Map<string, RegionSealer>();
  private cachedVault: Vault | undefined;
  private cachedSigning: SigningKeyPair | undefined;

  constructor(
    private readonly dir: string,
    private readonly generateMissing: boolean,
  ) {}

  signingKey(): SigningKeyPair {
    this.cachedSigning ??= this.loadOrCreate<SigningKeyPair>('signing.json', () => generateSigningKeyPair(`cp-${new Date().toISOString().slice(0, 10)}`));
    return this.cachedSigning;
  }

  vault(): Vault {
    this.cachedVault ??= (() => {
      const file = this.loadOrCreate<VaultFile>('vault.json', () => ({ activeKeyId: 'vault-1', keys: { 'vault-1': randomBytes(32).toString('base64') } }));
      return Vault.fromBase64Keys(file.activeKeyId, file.keys);
    })();
    return this.cachedVault;
  }

  regionKey(region: string): RegionFile {
    return this.loadOrCreate<RegionFile>(join('regions', `${region}.json`), () => ({ keyId: `${region}/1`, ...generateRegionKeyPair() }));
  }

  /** Seals a vaulted secret for a region, with that region's key (generated in development). */
  readonly seal: RegionSealer = (credentialId, secret, region) => {
    let sealer = this.sealers.get(region);
    if (!sealer) {
      const { keyId, publicKeyPem } = this.regionKey(region);
      sealer = createRegionSealer(this.vault(), new Map([[region, { keyId, publicKeyPem }]]));
      this.sealers.set(region, sealer);
    }
    return sealer(credentialId, secret, region);
  };

  private loadOrCreate<T>(name: string, create: () => T): T {
    const path = join(this.dir, name);
    if (existsSync(path)) {
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as T;
      } catch (cause) {
        throw new CryptoError('crypto.invalid_key', `key file ${path} is not valid JSON`, { cause });
      }
    }
    if (!this.generateMissing) throw new CryptoError('crypto.invalid_key', `key file ${path} is missing (keys are only generated in development)`);
    const value = create();
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  }
}
