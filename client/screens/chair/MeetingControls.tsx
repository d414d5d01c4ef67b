// The console's bar of controls over the whole meeting: its mode, mute or
// unmute every site, lock, the layout every site shows, the main stage, the link
// to an upstream meeting, recording, and the end.
import type { MeetingMode } from '../../../contract/enums.ts';
import type { LayoutKind } from '../../../contract/layout.ts';
import type { Meeting } from '../../../contract/rest/meetings.ts';
import type { ApiClient } from '../../api.ts';
import { LayoutPicker } from '../../components/LayoutPicker.tsx';
import { RecordingControl } from '../../components/RecordingControl.tsx';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import type { MeetingConnection } from '../../media/MeetingConnection.ts';
import { gridOnTurningOn } from '../../meeting/gridPicks.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';
import { UpstreamLinkControl } from './UpstreamLinkControl.tsx';

const MODES: { value: MeetingMode; label: MessageKey }[] = [
  { value: 'discussion', label: 'modeDiscussion' },
  { value: 'briefing', label: 'modeBriefing' },
  { value: 'conference', label: 'modeConference' },
];

export function MeetingControls({
  api,
  meeting,
  conn,
  sites,
  run,
  onLeft,
}: {
  api: ApiClient;
  meeting: Meeting;
  conn: MeetingConnection;
  sites: SiteStatus[];
  run: (p: Promise<unknown>) => void;
  onLeft: () => void;
}) {
  const { t } = useI18n();
  const m = conn.meeting;
  const offline = conn.state !== 'online';
  const chooseLayout = (kind: LayoutKind | null) => {
    if (!kind) return;
    if (kind !== 'grid') return void run(conn.chair('setLayout', { kind }));
    // The chair is always in the grid; the sites are picked on the board's rows afterwards.
    const online = sites.filter((s) => s.state === 'online' && !s.isChair).map((s) => s.id);
    void run(conn.chair('setLayout', { kind, grid: gridOnTurningOn(m?.layout.grid ?? [], online) }));
  };
  return (
    <>
      <label className="inline-form">
        {t('modeLabel')}{' '}
        <select
          value={m?.mode ?? meeting.mode}
          onChange={(e) => run(conn.chair('setMode', { mode: e.target.value as MeetingMode }))}
          disabled={offline}
        >
          {MODES.map((x) => (
            <option key={x.value} value={x.value}>
              {t(x.label)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        aria-pressed={Boolean(m?.muteNewSites)}
        onClick={() => run(conn.chair('muteAll', {}))}
        disabled={offline}
      >
        {t('chairMuteAll')}
      </button>
      <button type="button" onClick={() => run(conn.chair('unmuteAll', {}))} disabled={offline}>
        {t('chairUnmuteAll')}
      </button>
      <button
        type="button"
        aria-pressed={Boolean(m?.locked)}
        onClick={() => run(conn.chair('setLocked', { locked: !m?.locked }))}
        disabled={offline}
      >
        {m?.locked ? t('chairUnlock') : t('chairLock')}
      </button>
      <LayoutPicker scope="chair" value={m?.layout.kind ?? 'speaker'} onChange={chooseLayout} disabled={offline} />
      {m?.stageSiteId && (
        <button type="button" onClick={() => run(conn.chair('setStage', { siteId: null }))}>
          {t('chairUnstage')}
        </button>
      )}
      <UpstreamLinkControl
        upstream={m?.upstream}
        linkable={m?.linkable ?? []}
        disabled={offline}
        onLink={(deployment, meetingId) => void run(conn.chair('linkUpstream', { deployment, meetingId }))}
        onUnlink={() => void run(conn.chair('unlinkUpstream', {}))}
      />
      <RecordingControl
        recording={m?.recording}
        disabled={offline}
        onStart={() => void run(conn.chair('startRecording', {}))}
        onStop={() => void run(conn.chair('stopRecording', {}))}
      />
      <button
        type="button"
        className="danger"
        onClick={() => {
          if (!window.confirm(t('chairEndConfirm'))) return;
          // The schedule's end (status, audit, live event) also closes the media for every site.
          void run(
            api
              .endMeeting(meeting.id)
              .then(() => conn.leave())
              .then(onLeft),
          );
        }}
        disabled={offline}
      >
        {t('chairEnd')}
      </button>
    </>
  );
}
