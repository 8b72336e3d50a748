// How numbers, times and ages read in the console.

export function seconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toLocaleString('en');
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { hour12: false });
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "resequencer host-1 (epoch 3), egress host-2 (epoch 5)", or "none" when no instance leads. */
export function leadersText(leaders: { role: string; instance: string; epoch: number }[] | undefined): string {
  if (leaders === undefined) return '–';
  if (leaders.length === 0) return 'none';
  return leaders.map((l) => `${l.role.toLowerCase()} ${l.instance} (epoch ${l.epoch})`).join(', ');
}
