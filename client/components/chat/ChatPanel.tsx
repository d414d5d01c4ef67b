// The chat panel: the meeting's messages in order, and the composer. Text is
// rendered as text (React escapes it) and links stay plain text, so nothing
// another site writes can run or lead anywhere. A site writes to everyone or
// privately to the chair; the chair to everyone or privately to one site, and
// switches sites' chat to everyone on or off. A message the hub refuses keeps
// its text in the composer with the reason beside it.
import { useEffect, useRef, useState } from 'react';
import { CHAT_MAX_CHARS, type ChatMessage } from '../../../contract/chat.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { hhmm } from '../../lib/time.ts';

export interface ChatSite {
  id: string;
  name: string;
}

export interface ChatPanelProps {
  messages: readonly ChatMessage[];
  selfId: string | null;
  isChair: boolean;
  /** Sites may write to everyone (the chair's switch). */
  enabled: boolean;
  /** The sites the chair may write to privately. */
  sites: readonly ChatSite[];
  nameOf: (siteId: string) => string;
  onSend: (text: string, privateSiteId?: string) => Promise<void>;
  /** The chair's switch; absent for a site. */
  onSetEnabled?: (enabled: boolean) => Promise<void>;
  sound: boolean;
  onSound: (on: boolean) => void;
  onClose: () => void;
}

/** The composer's recipient: everyone, or the private conversation of a site ('' = everyone). */
const EVERYONE = '';

export function ChatPanel(props: ChatPanelProps) {
  const { t } = useI18n();
  const { messages, selfId, isChair, enabled } = props;
  const list = useRef<HTMLOListElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when a message is added
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  return (
    <section className="chat-panel" aria-label={t('chatTitle')} data-testid="chat-panel">
      <header className="chat-panel__head">
        <h2>{t('chatTitle')}</h2>
        <label className="chat-panel__option">
          <input type="checkbox" checked={props.sound} onChange={(e) => props.onSound(e.target.checked)} />{' '}
          {t('chatSound')}
        </label>
        <button type="button" className="icon" aria-label={t('close')} onClick={props.onClose}>
          ×
        </button>
      </header>
      {props.onSetEnabled && <ChatSwitch enabled={enabled} onSetEnabled={props.onSetEnabled} />}
      {!isChair && !enabled && <p className="chat-panel__notice">{t('chatOffNotice')}</p>}
      <ol className="chat-panel__list" ref={list} aria-live="polite" data-testid="chat-messages">
        {messages.length === 0 && <li className="muted">{t('chatEmpty')}</li>}
        {messages.map((m) => (
          <ChatLine key={m.seq} message={m} own={m.siteId === selfId} isChair={isChair} nameOf={props.nameOf} />
        ))}
      </ol>
      <Composer {...props} />
    </section>
  );
}

function ChatLine({
  message: m,
  own,
  isChair,
  nameOf,
}: {
  message: ChatMessage;
  own: boolean;
  isChair: boolean;
  nameOf: (siteId: string) => string;
}) {
  const { t } = useI18n();
  const privateTo =
    m.privateSiteId === null
      ? null
      : isChair
        ? t('chatPrivateWith', { name: nameOf(m.privateSiteId) })
        : t('chatPrivateChair');
  return (
    <li
      className={`chat-line${own ? ' chat-line--own' : ''}${privateTo ? ' chat-line--private' : ''}`}
      data-testid="chat-message"
      data-seq={m.seq}
    >
      <div className="chat-line__meta">
        <b>{m.siteName}</b>
        {m.fromChair && <span className="muted"> ({t('chatChairTag')})</span>} <time dateTime={m.at}>{hhmm(m.at)}</time>
        {privateTo && <span className="pill pill--warn">{privateTo}</span>}
      </div>
      <p className="chat-line__text">{m.text}</p>
    </li>
  );
}

function ChatSwitch({
  enabled,
  onSetEnabled,
}: {
  enabled: boolean;
  onSetEnabled: (enabled: boolean) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="chat-panel__option">
      <label>
        <input
          type="checkbox"
          checked={enabled}
          onChange={(e) =>
            onSetEnabled(e.target.checked).then(
              () => setError(null),
              (err) => setError(errorText(err, lang)),
            )
          }
        />{' '}
        {t('chatAllowSites')}
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function Composer({ selfId, isChair, enabled, sites, onSend }: ChatPanelProps) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  // A site whose chat to everyone is off writes to the chair.
  const [to, setTo] = useState(EVERYONE);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const recipient = !isChair && !enabled ? (selfId ?? EVERYONE) : to;
  const length = text.trim().length;

  const send = async () => {
    if (busy || length === 0) return;
    if (length > CHAT_MAX_CHARS) {
      setError(t('chatTooLong', { count: length, max: CHAT_MAX_CHARS }));
      return;
    }
    setBusy(true);
    try {
      await onSend(text, recipient === EVERYONE ? undefined : recipient);
      setText('');
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="chat-panel__composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label>
        {t('chatTo')}{' '}
        <select value={recipient} onChange={(e) => setTo(e.target.value)} data-testid="chat-to">
          <option value={EVERYONE} disabled={!isChair && !enabled}>
            {t('chatToAll')}
          </option>
          {isChair ? (
            sites.map((s) => (
              <option key={s.id} value={s.id}>
                {t('chatPrivateWith', { name: s.name })}
              </option>
            ))
          ) : (
            <option value={selfId ?? ''}>{t('chatPrivateChair')}</option>
          )}
        </select>
      </label>
      <textarea
        value={text}
        rows={3}
        placeholder={t('chatPlaceholder')}
        aria-label={t('chatPlaceholder')}
        aria-invalid={length > CHAT_MAX_CHARS}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter sends; Shift+Enter starts a new line.
          if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
          e.preventDefault();
          void send();
        }}
      />
      <div className="chat-panel__send">
        <span className={length > CHAT_MAX_CHARS ? 'error' : 'muted'} data-testid="chat-count">
          {length}/{CHAT_MAX_CHARS}
        </span>
        <button type="submit" disabled={busy || length === 0}>
          {t('chatSend')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="chat-error">
          {error}
        </p>
      )}
    </form>
  );
}
