import { ActionIcon, AppShell, Burger, Group, Menu, NavLink, ScrollArea, Select, Text, Tooltip, UnstyledButton, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout, IconMoon, IconSun, IconUserCircle } from '@tabler/icons-react';
import { Suspense } from 'react';
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useApiQuery } from '../api/hooks';
import { logout } from '../auth/auth-http';
import { useTenantPermissions } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { FullPageLoader } from '../components/query-state';
import { TenantListQuery } from './app-layout.graphql';
import { TENANT_SECTIONS, tenantPath } from './navigation';

const ThemeToggle = () => {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to the ${next} theme`}>
      <ActionIcon variant="default" size="lg" onClick={() => setColorScheme(next)} aria-label={`Switch to the ${next} theme`}>
        {computed === 'dark' ? <IconSun size={18} aria-hidden /> : <IconMoon size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
};

const UserMenu = () => {
  const session = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const signOut = async () => {
    const endSessionUrl = await logout();
    client.clear();
    if (endSessionUrl) window.location.assign(endSessionUrl);
    else await navigate('/login', { replace: true });
  };
  const who = `${session.subject}${session.platformAdmin ? ' · platform admin' : ''}`;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`${who} (account menu)`}>
          <Group gap={6}>
            <IconUserCircle size={22} aria-hidden />
            <Text size="sm" visibleFrom="sm">
              {who}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
};

/** The tenant whose pages the navigation shows; switching keeps the current section. */
const TenantPicker = () => {
  const { tenantId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const tenants = useApiQuery(TenantListQuery, {});
  const section = tenantId ? (location.pathname.split('/')[3] ?? '') : '';
  return (
    <Select
      aria-label="Tenant"
      placeholder={tenants.isPending ? 'Loading tenants…' : 'Choose a tenant'}
      data={(tenants.data?.tenants.nodes ?? []).map((t) => ({ value: t.id, label: `${t.displayName} (${t.slug})` }))}
      value={tenantId ?? null}
      onChange={(value) => value && void navigate(tenantPath(value, section))}
      searchable
      nothingFoundMessage="No tenant matches"
      w={260}
      comboboxProps={{ withinPortal: true }}
    />
  );
};

const TenantNavigation = ({ tenantId, onNavigate }: { tenantId: string; onNavigate: () => void }) => {
  const { can, loading } = useTenantPermissions(tenantId);
  if (loading) return null;
  return (
    <>
      {TENANT_SECTIONS.filter((s) => can(s.permission)).map((s) => (
        <NavLink key={s.path} component={RouterNavLink} to={tenantPath(tenantId, s.path)} end={s.path === ''} label={s.label} onClick={onNavigate} />
      ))}
    </>
  );
};

export const AppLayout = () => {
  const [opened, { toggle, close }] = useDisclosure();
  const { tenantId } = useParams();
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} component={RouterNavLink} to="/tenants" style={{ textDecoration: 'none', color: 'inherit' }}>
              mcpgate
            </Text>
            <TenantPicker />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ThemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Console sections">
        <ScrollArea>
          <NavLink component={RouterNavLink} to="/tenants" end label="Tenants" onClick={close} />
          {tenantId && <TenantNavigation tenantId={tenantId} onNavigate={close} />}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main component="main" id="main">
        <Suspense fallback={<FullPageLoader label="Loading the page" />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
};
