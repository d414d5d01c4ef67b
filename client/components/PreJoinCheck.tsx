// The pre-join check (kiểm tra thiết bị): choose camera and microphone, see the
// preview and the microphone level, run a short connection test that names
// the likely cause of a failure. Hands the working stream to the meeting.
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { type CheckIssue, type CheckResult, capture, LevelMeter, listDevices, runChecks } from '../media/devices.ts';

const ISSUE_TEXT: Record<CheckIssue, MessageKey> = {
  noCamera: 'checkNoCamera',
  noMic: 'checkNoMic',
  noRoute: 'checkNoRoute',
};

export function PreJoinCheck({
  onStream,
  onChecked,
  children,
}: {
  /** The stream currently chosen (null while none works). */
  onStream: (s: MediaStream | null) => void;
  /** Each connection test's outcome (the endpoint room reports it to the hub). */
  onChecked?: (r: CheckResult) => void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [cameraId, setCameraId] = useState('');
  const [micId, setMicId] = useState('');
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<MessageKey | null>(null);
  const [level, setLevel] = useState(0);
  const [result, setResult] = useState<CheckResult | null>(null);
  const [running, setRunning] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const meter = useRef<LevelMeter | null>(null);
  const camSel = useId();
  const micSel = useId();

  // (Re)open the capture when the choice changes.
  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    capture({ cameraId: cameraId || undefined, micId: micId || undefined }).then(
      async (s) => {
        if (cancelled) {
          for (const tr of s.getTracks()) tr.stop();
          return;
        }
        opened = s;
        setError(null);
        setStream((prev) => {
          if (prev && prev !== s) for (const tr of prev.getTracks()) tr.stop();
          return s;
        });
        onStream(s);
        const d = await listDevices().catch(() => ({ cameras: [], mics: [] }));
        if (cancelled) return;
        setCameras(d.cameras);
        setMics(d.mics);
      },
      (err: DOMException) => {
        if (cancelled) return;
        setStream(null);
        onStream(null);
        setError(err?.name === 'NotAllowedError' ? 'checkPermission' : 'checkNoDevices');
      },
    );
    return () => {
      cancelled = true;
      // The stream is handed over to the meeting; it stops it when done.
      void opened;
    };
  }, [cameraId, micId, onStream]);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
    if (!stream) return;
    const m = new LevelMeter(stream);
    meter.current = m;
    let raf = 0;
    let last = 0;
    const tick = (now: number) => {
      const l = m.level();
      if (now - last > 100) {
        setLevel(l);
        last = now;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      m.close();
      meter.current = null;
    };
  }, [stream]);

  const test = useCallback(async () => {
    setRunning(true);
    setResult(null);
    const checked = await runChecks(stream, video.current, meter.current);
    setResult(checked);
    setRunning(false);
    onChecked?.(checked);
  }, [stream, onChecked]);

  return (
    <section className="card prejoin" aria-labelledby="prejoin-title">
      <h2 id="prejoin-title">{t('checkTitle')}</h2>
      <div className="prejoin__grid">
        <div>
          <video ref={video} className="prejoin__preview" autoPlay playsInline muted aria-label={t('checkPreview')} />
          <label className="prejoin__meter">
            {t('checkLevel')}
            <meter min={0} max={1} low={0.05} high={0.8} optimum={0.3} value={level} data-testid="mic-level" />
          </label>
        </div>
        <div className="prejoin__controls">
          <label htmlFor={camSel}>{t('checkCamera')}</label>
          <select id={camSel} value={cameraId} onChange={(e) => setCameraId(e.target.value)}>
            <option value="">—</option>
            {cameras.map((c, i) => (
              <option key={c.deviceId || i} value={c.deviceId}>
                {c.label || `${t('checkCamera')} ${i + 1}`}
              </option>
            ))}
          </select>
          <label htmlFor={micSel}>{t('checkMicrophone')}</label>
          <select id={micSel} value={micId} onChange={(e) => setMicId(e.target.value)}>
            <option value="">—</option>
            {mics.map((c, i) => (
              <option key={c.deviceId || i} value={c.deviceId}>
                {c.label || `${t('checkMicrophone')} ${i + 1}`}
              </option>
            ))}
          </select>
          <button type="button" onClick={test} disabled={running || !stream}>
            {running ? t('checkRunning') : t('checkRun')}
          </button>
          {error && (
            <p className="error" role="alert">
              {t(error)}
            </p>
          )}
          {result && (
            <div role="status" data-testid="check-result">
              {result.issues.length === 0 ? (
                <p className="ok">{t('checkOk')}</p>
              ) : (
                <ul className="error">
                  {result.issues.map((i) => (
                    <li key={i}>{t(ISSUE_TEXT[i])}</li>
                  ))}
                </ul>
              )}
              {result.serverRttMs !== null && (
                <p className="muted">{t('checkServerRtt', { ms: result.serverRttMs })}</p>
              )}
            </div>
          )}
          {children}
        </div>
      </div>
    </section>
  );
}
