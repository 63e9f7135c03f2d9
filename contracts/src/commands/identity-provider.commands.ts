import { z } from 'zod';
import { GroupsClaim, IdentityProviderConfig, IssuerUrl, JwksUri } from '../events/identity-provider.events.js';
import { IdentityProviderId } from '../ids.js';
import { commandSchema } from './command.js';

/**
 * Trusts an issuer's access tokens at the tenant's proxies. `jwksUri` is required here: deciders do
 * no I/O, so the admin API discovers it from the issuer's metadata before it builds the command
 * when the caller leaves it out.
 */
export const RegisterIdentityProvider = commandSchema('RegisterIdentityProvider', IdentityProviderConfig.extend({ identityProviderId: IdentityProviderId }));

/** Changes some of the configuration; fields left out keep their value. At least one is needed. */
export const UpdateIdentityProvider = commandSchema(
  'UpdateIdentityProvider',
  z
    .object({
      identityProviderId: IdentityProviderId,
      issuer: IssuerUrl.optional(),
      jwksUri: JwksUri.optional(),
      audiences: IdentityProviderConfig.shape.audiences.optional(),
      groupsClaim: GroupsClaim.optional(),
    })
    .refine((d) => d.issuer !== undefined || d.jwksUri !== undefined || d.audiences !== undefined || d.groupsClaim !== undefined, {
      message: 'name at least one of issuer, jwksUri, audiences, groupsClaim',
    }),
);

/** Stops trusting the issuer; the tenant's proxies refuse its tokens with the next snapshot. */
export const RemoveIdentityProvider = commandSchema('RemoveIdentityProvider', z.object({ identityProviderId: IdentityProviderId }));

export const IdentityProviderCommand = z.discriminatedUnion('type', [RegisterIdentityProvider, UpdateIdentityProvider, RemoveIdentityProvider]);
export type IdentityProviderCommand = z.infer<typeof IdentityProviderCommand>;
