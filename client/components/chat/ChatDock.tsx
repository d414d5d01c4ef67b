// The chat in a meeting screen: a button with the unread count, opening the
// panel beside the meeting. Wires the panel to the meeting's connection (its
// chat log, the chair's switch) and plays the chime the room can turn off.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import type { MeetingConnection } from '../../media/MeetingConnection.ts';
import { ChatPanel, type ChatSite } from './ChatPanel.tsx';
import { chatSoundOn, playChime, setChatSoundOn } from './chatSound.ts';

export function ChatDock({
  conn,
  sites = [],
  nameOf,
}: {
  conn: MeetingConnection;
  /** The sites the chair may write to privately (the chair's console passes them). */
  sites?: readonly ChatSite[];
  nameOf: (siteId: string) => string;
}) {
  const { t } = useI18n();
  const chat = useSyncExternalStore(conn.chat.log.subscribe, conn.chat.log.getSnapshot);
  const [open, setOpen] = useState(false);
  const [sound, setSound] = useState(chatSoundOn);
  const isChair = conn.self?.role === 'chair';

  useEffect(() => conn.chat.log.setReading(open), [conn, open]);
  useEffect(
    () =>
      conn.on('chat', (fresh) => {
        if (sound && fresh.some((m) => m.siteId !== conn.self?.id)) playChime();
      }),
    [conn, sound],
  );
  const onSound = useCallback((on: boolean) => {
    setSound(on);
    setChatSoundOn(on);
  }, []);

  return (
    <>
      <button
        type="button"
        className="chat-toggle"
        aria-expanded={open}
        aria-label={chat.unread > 0 ? t('chatUnread', { count: chat.unread }) : t('chatTitle')}
        onClick={() => setOpen(!open)}
        data-testid="chat-toggle"
      >
        {t('chatTitle')}
        {chat.unread > 0 && (
          <span className="chat-toggle__badge" data-testid="chat-unread">
            {chat.unread}
          </span>
        )}
      </button>
      {open && (
        <ChatPanel
          messages={chat.messages}
          selfId={conn.self?.id ?? null}
          isChair={isChair}
          enabled={conn.meeting?.chatEnabled ?? true}
          sites={sites}
          nameOf={nameOf}
          onSend={(text, privateSiteId) => conn.chat.send(text, privateSiteId)}
          onSetEnabled={isChair ? async (enabled) => void (await conn.chair('setChatEnabled', { enabled })) : undefined}
          sound={sound}
          onSound={onSound}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
