import { MantineProvider, localStorageColorSchemeManager } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { cssVariablesResolver, theme } from './theme';

const colorSchemeManager = localStorageColorSchemeManager({ key: 'mcpgate-color-scheme' });

export const createQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // typed API errors are answers, not glitches: only network trouble is worth one retry
        retry: (count, error) => count < 1 && (error as { code?: string }).code === 'NETWORK',
        refetchOnWindowFocus: false,
      },
    },
  });

/** Theme (light, dark or the system's), notifications and the API cache around the app. */
export const Providers = ({ children, client }: { children: ReactNode; client: QueryClient }) => (
  <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager} cssVariablesResolver={cssVariablesResolver}>
    <Notifications />
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  </MantineProvider>
);
