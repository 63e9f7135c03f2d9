import { createContext, useContext } from 'react';

export interface Session {
  readonly subject: string;
  readonly kind: string;
  readonly groups: readonly string[];
  readonly platformAdmin: boolean;
  /** Permissions that hold in every tenant (platform admins hold them all). */
  readonly platformPermissions: ReadonlySet<string>;
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in user; only inside <RequireSession>. */
export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <RequireSession>');
  return session;
};
