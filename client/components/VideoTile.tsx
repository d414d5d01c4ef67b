// A video on screen. Remote: registers what it shows with the connection (which
// consumes the peer's camera, or the content it presents, at the tile's layer
// only while the tile exists). Local: the room's own capture.
import { type ReactNode, useEffect, useId, useReducer, useRef } from 'react';
import { useI18n } from '../i18n/index.tsx';
import type { MeetingConnection, VideoSource } from '../media/MeetingConnection.ts';
import type { VideoLayer } from '../media/RemoteMedia.ts';

export interface VideoTileProps {
  conn: MeetingConnection | null;
  peerId: string | null;
  layer: VideoLayer;
  /** The site's camera (default) or the content it presents. */
  source?: VideoSource;
  label: string;
  /** Show this stream instead of a remote peer (own preview). */
  local?: MediaStream | null;
  className?: string;
  testId?: string;
  children?: ReactNode;
}

export function VideoTile({
  conn,
  peerId,
  layer,
  source = 'camera',
  label,
  local,
  className,
  testId,
  children,
}: VideoTileProps) {
  const { t } = useI18n();
  const tileId = useId();
  const ref = useRef<HTMLVideoElement>(null);
  const [, bump] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    if (local || !conn || !peerId) return;
    const release = conn.want(tileId, peerId, layer, source);
    const off = conn.on('tracks', bump);
    return () => {
      off();
      release();
    };
  }, [conn, peerId, layer, source, local, tileId]);

  const track = local ? null : peerId && conn ? conn.videoTrack(peerId, source) : null;
  const ownStream = local ?? null;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const want: MediaStream | null = ownStream ?? (track ? new MediaStream([track]) : null);
    const current = el.srcObject as MediaStream | null;
    const same =
      current && want && (current === want || (track && current.getVideoTracks()[0]?.id === track.id && !ownStream));
    if (!same) {
      el.srcObject = want;
      if (want) void el.play?.().catch(() => undefined);
    }
  }, [track, ownStream]);

  const hasPicture = Boolean(ownStream?.getVideoTracks().length || track);
  return (
    <figure
      className={`tile ${className ?? ''}`}
      data-testid={testId}
      data-peer-id={local ? 'self' : (peerId ?? '')}
      data-layer={layer}
      data-source={source}
    >
      <video ref={ref} autoPlay playsInline muted aria-label={label} />
      {!hasPicture && <div className="tile__empty">{t('meetingNoVideo')}</div>}
      <figcaption className="tile__label">{label}</figcaption>
      {children}
    </figure>
  );
}
