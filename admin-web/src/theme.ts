import { createTheme, Modal, Notification, type CSSVariablesResolver } from '@mantine/core';

/** Mantine's theme with a primary colour dark enough for AA contrast on white text in both schemes. */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
  // icon-only close buttons need a name for screen readers
  components: {
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
  },
});

const TINTED = ['blue', 'red', 'yellow', 'green', 'orange', 'gray', 'teal', 'grape'] as const;
/** Where shade 9 is still under 4.5:1 on the colour's own light (or hovered) background. */
const DARKER_TEXT: Partial<Record<(typeof TINTED)[number], string>> = { blue: '#114477', yellow: '#664d03', orange: '#8a3a0c', green: '#1e6b30', teal: '#065f46' };

/**
 * WCAG AA (4.5:1) for small text: Mantine's default dimmed text and its light-variant colours
 * (badges, alerts, subtle buttons) are a shade too pale on their backgrounds, so both go darker
 * in the light scheme and lighter in the dark one.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7]!,
    '--mantine-color-error': t.colors.red[9]!,
    ...Object.fromEntries(TINTED.map((c) => [`--mantine-color-${c}-light-color`, DARKER_TEXT[c] ?? t.colors[c]![9]!])),
  },
  dark: {
    '--mantine-color-dimmed': t.colors.dark[1]!,
    '--mantine-color-error': t.colors.red[4]!,
    ...Object.fromEntries(TINTED.map((c) => [`--mantine-color-${c}-light-color`, t.colors[c]![2]!])),
  },
});
