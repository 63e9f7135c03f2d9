import { Button, Group, Modal } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A question before a destructive action on one named thing (remove a server, revoke a key): what
 * happens in `children`, Cancel, and a red confirm button. Open while `target` is set.
 */
export const ConfirmModal = <T extends { readonly name: string }>({
  target,
  title,
  confirmLabel,
  loading,
  disabled = false,
  onCancel,
  onConfirm,
  children,
}: {
  target: T | undefined;
  title: (target: T | undefined) => string;
  confirmLabel: string;
  loading: boolean;
  disabled?: boolean;
  onCancel: () => void;
  onConfirm: (target: T) => void;
  children: ReactNode;
}) => (
  <Modal opened={Boolean(target)} onClose={onCancel} title={title(target)}>
    {children}
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button color="red" disabled={disabled} loading={loading} onClick={() => target && onConfirm(target)}>
        {confirmLabel}
      </Button>
    </Group>
  </Modal>
);
