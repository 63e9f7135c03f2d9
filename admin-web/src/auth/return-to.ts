/** The console's base path (vite.config.ts `base`), without the trailing slash. */
export const BASE_PATH = import.meta.env.BASE_URL.replace(/\/$/, '');

/** Only paths inside the console: never another origin (`//evil`, `https://…`). */
export const safeReturnTo = (value: string | null): string => (value && /^\/(?!\/)[^\s\\]*$/.test(value) && !value.startsWith('/login') ? value : '/');
