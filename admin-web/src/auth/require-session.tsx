import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { onUnauthenticated } from '../api/graphql-client';
import { useApiQuery } from '../api/hooks';
import { FullPageError, FullPageLoader } from '../components/query-state';
import { SessionQuery } from './session.graphql';
import { SessionContext, type Session } from './session-context';

/**
 * Pages inside need a session. Without one (or when it expires mid-use, which any API call
 * reports as UNAUTHENTICATED) the user goes to the login page, which brings them back here.
 */
export const RequireSession = ({ children }: { children: ReactNode }) => {
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [expired, setExpired] = useState(false);
  const session = useApiQuery(SessionQuery, {}, { staleTime: 60_000, retry: false });
  const returnTo = `${location.pathname}${location.search}`;
  // only a session that existed can expire; a first visit without one simply goes to the login page
  const hadSession = useRef(false);
  if (session.data?.me) hadSession.current = true;

  useEffect(
    () =>
      onUnauthenticated(() => {
        if (!hadSession.current) return;
        setExpired(true);
        client.removeQueries({ queryKey: ['Session'] });
        void navigate(`/login?expired=1&returnTo=${encodeURIComponent(returnTo)}`, { replace: true });
      }),
    [client, navigate, returnTo],
  );

  if (session.isPending) return <FullPageLoader label="Checking your session" />;
  if (session.error && session.error.code !== 'UNAUTHENTICATED') return <FullPageError error={session.error} onRetry={() => void session.refetch()} />;
  const me = session.data?.me;
  if (!me || expired) return <Navigate to={`/login?returnTo=${encodeURIComponent(returnTo)}${expired ? '&expired=1' : ''}`} replace />;
  const value: Session = {
    subject: me.subject,
    kind: me.kind,
    groups: me.groups,
    platformAdmin: me.platformAdmin,
    platformPermissions: new Set(session.data?.myPermissions ?? []),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};
