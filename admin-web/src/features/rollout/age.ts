/** "12 s", "4 min", "3 h", "2 d": how long ago `time` was at `now`, for ages that tick live. */
export const ageLabel = (time: string | null | undefined, now: number): string => {
  if (!time) return '—';
  const seconds = Math.max(0, Math.round((now - new Date(time).getTime()) / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
};
