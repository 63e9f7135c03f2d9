/** Test helper: drives the OIDC redirect flow over real HTTP. */

/** A browser in miniature: follows redirects by hand and keeps cookies by name. */
export const browser = () => {
  const jar = new Map<string, string>();
  const visit = async (url: string, hops = 12): Promise<{ url: string; status: number; body: string }> => {
    let current = url;
    for (let i = 0; i < hops; i++) {
      const res = await fetch(current, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...value] = pair!.split('=');
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name!.trim());
        else jar.set(name!.trim(), value.join('='));
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        continue;
      }
      return { url: current, status: res.status, body: await res.text() };
    }
    throw new Error('too many redirects');
  };
  return { jar, visit, cookie: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
};

