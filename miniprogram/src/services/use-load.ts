import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Loads data each time the page is shown and whenever `load` changes, keeping the last good data meanwhile. */
export function useLoadOnShow<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(() => {
    setLoading(true);
    load()
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '加载失败，请稍后再试'))
      .finally(() => setLoading(false));
  }, [load]);
  useDidShow(reload);
  const shown = useRef(false);
  useEffect(() => {
    // The first load comes from useDidShow; later changes of `load` (new filters) reload here.
    if (shown.current) reload();
    shown.current = true;
  }, [reload]);
  return { data, error, loading, reload };
}
