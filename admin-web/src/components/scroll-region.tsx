import type { ReactNode } from 'react';

/**
 * A bounded area that scrolls, reachable by keyboard (focusable, named), so a long table inside a
 * card can be scrolled without a mouse (axe: scrollable-region-focusable).
 */
export const ScrollRegion = ({ label, maxHeight, minWidth, children }: { label: string; maxHeight: number; minWidth?: number; children: ReactNode }) => (
  <div role="region" aria-label={label} tabIndex={0} style={{ maxHeight, overflow: 'auto' }}>
    <div style={minWidth ? { minWidth } : undefined}>{children}</div>
  </div>
);
