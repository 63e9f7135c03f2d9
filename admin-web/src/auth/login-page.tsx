import { Alert, Button, Center, Divider, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorNotice, FullPageLoader } from '../components/query-state';
import { devLogin, fetchLoginOptions, oidcLoginUrl } from './auth-http';
import { BASE_PATH, safeReturnTo } from './return-to';

/** Sign in with an identity provider (OIDC), or with the development login in embedded mode. */
export const LoginPage = () => {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const options = useQuery({ queryKey: ['login-options'], queryFn: fetchLoginOptions, retry: false });
  const [subject, setSubject] = useState('dev-admin');
  const [devError, setDevError] = useState<string>();
  const [signingIn, setSigningIn] = useState(false);

  const submitDevLogin = async (event: FormEvent) => {
    event.preventDefault();
    setSigningIn(true);
    setDevError(undefined);
    try {
      await devLogin(subject.trim());
      client.clear();
      await navigate(returnTo, { replace: true });
    } catch (error) {
      setDevError(error instanceof Error ? error.message : String(error));
    } finally {
      setSigningIn(false);
    }
  };

  if (options.isPending) return <FullPageLoader label="Loading sign-in options" />;
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={420} radius="md">
        <Stack>
          <Title order={1} size="h2">
            Sign in to mcpgate
          </Title>
          {params.get('expired') === '1' && (
            <Alert color="yellow" title="Your session ended" role="status">
              Sign in again to continue where you were; unsaved drafts are kept.
            </Alert>
          )}
          {options.error && <ErrorNotice error={options.error} title="Sign-in options could not load" onRetry={() => void options.refetch()} />}
          {options.data?.providers.map((p) => (
            <Button key={p.id} component="a" href={oidcLoginUrl(p.id, `${BASE_PATH}${returnTo}`)} variant="filled" size="md">
              Sign in with {p.displayName}
            </Button>
          ))}
          {options.data && options.data.providers.length === 0 && !options.data.devLogin && (
            <Text>No identity provider is configured. An operator adds one in the control plane configuration (MCPGATE_OIDC_PROVIDERS).</Text>
          )}
          {options.data?.devLogin && (
            <>
              {options.data.providers.length > 0 && <Divider label="or" labelPosition="center" />}
              <form onSubmit={(e) => void submitDevLogin(e)}>
                <Stack gap="sm">
                  <Text size="sm" c="dimmed">
                    Development login: this control plane runs in development mode, so anyone reaching it may sign in as a platform admin.
                  </Text>
                  <TextInput label="User name" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} required error={devError} autoComplete="username" />
                  <Button type="submit" loading={signingIn} variant="light">
                    Use the development login
                  </Button>
                </Stack>
              </form>
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
};
