/**
 * A filtered list read in pages with a cursor, and its CSV of the same filter: what the delivery
 * history and the reports' list share. `load(filter)` reads the first page, `load(filter, cursor)`
 * adds the next; a refusal shows the server's message (and its field errors on the filter form).
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, messageOf } from './api/client';

export function usePagedList<F, T>(
  filter: F,
  fetchPage: (f: F, cursor?: string) => Promise<{ items: T[]; cursor?: string }>,
  downloadCsv: (f: F) => Promise<void>,
) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState(false);

  const load = useCallback(
    async (f: F, after?: string) => {
      setBusy(true);
      setError(null);
      setFieldErrors({});
      try {
        const page = await fetchPage(f, after);
        setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
        setCursor(page.cursor ?? null);
      } catch (err) {
        setError(messageOf(err));
        if (err instanceof ApiError) setFieldErrors(err.fieldErrors());
        if (!after) setItems([]);
      } finally {
        setBusy(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    void load(filter);
  }, [filter, load]);

  const download = async () => {
    setDownloading(true);
    setError(null);
    try {
      await downloadCsv(filter);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setDownloading(false);
    }
  };

  return { items, cursor, error, fieldErrors, busy, downloading, load, download };
}
