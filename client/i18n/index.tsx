// Language context: Vietnamese first, English on request, the choice kept in
// localStorage. t(key, params) fills {placeholders}.
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { en } from './en.ts';
import { type MessageKey, type Messages, vi } from './vi.ts';

export type Lang = 'vi' | 'en';
export type { MessageKey } from './vi.ts';

const DICTS: Record<Lang, Messages> = { vi, en };
const STORAGE_KEY = 'diemcau.lang';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translator(lang: Lang): Translate {
  const dict = DICTS[lang];
  return (key, params) => format(dict[key], params);
}

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // storage unavailable (private mode): fall back to Vietnamese
  }
  return 'vi';
}

interface I18n {
  lang: Lang;
  t: Translate;
  setLang: (lang: Lang) => void;
  /** Picks the server's message in the current language. */
  pick: (vi: string, en: string | undefined) => string;
}

const I18nContext = createContext<I18n>({
  lang: 'vi',
  t: translator('vi'),
  setLang: () => {},
  pick: (v) => v,
});

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(forced ?? initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // ignore
    }
    document.documentElement.lang = next;
  }, []);
  const value = useMemo<I18n>(
    () => ({ lang, t: translator(lang), setLang, pick: (v, e) => (lang === 'en' && e ? e : v) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
