import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError, nextStep } from '../api/api-error';

const asApiError = (error: unknown): ApiError => (error instanceof ApiError ? error : new ApiError('INTERNAL', 'client.unexpected', error instanceof Error ? error.message : String(error)));

/** An API error as a person should read it: what happened, its code, and what to do next. */
export const ErrorNotice = ({ error, title = 'That did not work', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) => {
  const apiError = asApiError(error);
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle aria-hidden />} role="alert">
      <Stack gap={6}>
        <Text size="sm">
          {apiError.message} <Text span c="dimmed" size="xs">({apiError.code})</Text>
        </Text>
        <Text size="sm">{nextStep(apiError)}</Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="default" onClick={onRetry}>
              Retry
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
};

export const FullPageLoader = ({ label }: { label: string }) => (
  <Center h="60vh" role="status" aria-live="polite">
    <Stack align="center" gap="xs">
      <Loader aria-hidden />
      <Text c="dimmed">{label}…</Text>
    </Stack>
  </Center>
);

export const FullPageError = ({ error, onRetry }: { error: unknown; onRetry: () => void }) => (
  <Center h="60vh" p="md">
    <ErrorNotice error={error} title="The console could not load" onRetry={onRetry} />
  </Center>
);

export const EmptyState = ({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) => (
  <Stack align="center" gap="xs" py="xl" data-testid="empty-state">
    <IconInbox size={40} aria-hidden stroke={1.4} />
    <Title order={3} size="h4">
      {title}
    </Title>
    <Text c="dimmed" ta="center" maw={520}>
      {children}
    </Text>
    {action}
  </Stack>
);

interface QueryLike<T> {
  readonly isPending: boolean;
  readonly error: unknown;
  readonly data: T | undefined;
  refetch(): unknown;
}

/** Loading, error, empty and loaded: every page shows exactly one of them, never a blank screen. */
export const QueryState = <T,>({ query, label, isEmpty, empty, children }: { query: QueryLike<T>; label: string; isEmpty?: (data: T) => boolean; empty?: ReactNode; children: (data: T) => ReactNode }) => {
  if (query.isPending) {
    return (
      <Center py="xl" role="status" aria-live="polite">
        <Group gap="xs">
          <Loader size="sm" aria-hidden />
          <Text c="dimmed">Loading {label}…</Text>
        </Group>
      </Center>
    );
  }
  if (query.error || query.data === undefined) return <ErrorNotice error={query.error} title={`Could not load ${label}`} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data) && empty) return <>{empty}</>;
  return <>{children(query.data)}</>;
};
