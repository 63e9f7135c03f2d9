/** Admin changes per UTC day, newest day last: what the overview's chart plots. */
export const changesPerDay = (activity: readonly { time: string }[], days: number, now: Date): { day: string; changes: number }[] => {
  const counts = new Map<string, number>();
  for (let i = days - 1; i >= 0; i--) counts.set(new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10), 0);
  for (const { time } of activity) {
    const day = time.slice(0, 10);
    if (counts.has(day)) counts.set(day, counts.get(day)! + 1);
  }
  return [...counts].map(([day, changes]) => ({ day, changes }));
};

/** Who or what made a change, from the actor recorded in the event metadata. */
export const actorLabel = (actor: Record<string, unknown>): string => {
  if (actor['kind'] === 'user') return String(actor['displayName'] ?? actor['subject'] ?? 'user');
  if (actor['kind'] === 'service-account') return `service account ${String(actor['serviceAccountId'] ?? '')}`;
  if (actor['kind'] === 'system') return `system (${String(actor['component'] ?? '')})`;
  return String(actor['kind'] ?? 'unknown');
};

/** What the chart shows, in words, for screen readers. */
export const chartSummary = (days: readonly { day: string; changes: number }[]): string => {
  const total = days.reduce((sum, d) => sum + d.changes, 0);
  const busiest = days.reduce((best, d) => (d.changes > best.changes ? d : best), days[0] ?? { day: '', changes: 0 });
  return `Admin changes per day over the last ${days.length} days: ${total} in total${total ? `, most on ${busiest.day} (${busiest.changes})` : ''}`;
};
