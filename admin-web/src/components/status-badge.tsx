import { Badge } from '@mantine/core';

const COLOURS: Record<string, string> = { active: 'green', suspended: 'yellow', deleted: 'gray', removed: 'gray', revoked: 'red', expired: 'orange' };

export const StatusBadge = ({ status }: { status: string }) => (
  <Badge color={COLOURS[status] ?? 'blue'} variant="light">
    {status}
  </Badge>
);
