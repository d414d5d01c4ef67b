// What a site of an edge hub asks that only the home hub decides (a chat
// message, the chat's history, a wish to present, the end of its
// presentation): the edge asks the home over the bus, the home does it for
// the site's RemoteSite there, by the same rules as for its own sites, and a
// refusal comes back to the site as the home gave it (code, Vietnamese,
// English), not as a bare error.
import type { ErrorBody, SignalingErrorCode } from '../../contract/errors.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import { SignalingError } from '../SignalingError.ts';
import type { HubBus } from './HubBus.ts';
import { RemoteSite } from './RemoteSite.ts';

export type HomeAnswer<T> = { done: T } | { refused: ErrorBody<SignalingErrorCode> };

/** The home's answer to a site's request, or its refusal thrown as the home made it. */
export async function askHome<T>(
  bus: HubBus,
  homeHubId: string,
  meetingId: string,
  type: string,
  body: unknown,
): Promise<T> {
  let answer: HomeAnswer<T>;
  try {
    answer = await bus.request<HomeAnswer<T>>(homeHubId, meetingId, type, body);
  } catch {
    throw new SignalingError(
      'MEDIA_UNAVAILABLE',
      'Không liên lạc được với máy chủ chủ trì cuộc họp. Hãy thử lại sau giây lát.',
      "The meeting's home server did not answer. Try again in a moment.",
    );
  }
  if (!('refused' in answer)) return answer.done;
  const { code, message, messageEn, details } = answer.refused;
  throw new SignalingError(code, message, messageEn, details);
}

/** Does a request for a site of the edge hub `hubId` on the home; a refusal is the answer, not an error. */
export async function answerAtHome<T>(
  meeting: MeetingRoom,
  hubId: string,
  siteId: string,
  work: (site: RemoteSite) => Promise<T> | T,
): Promise<HomeAnswer<T>> {
  const site = meeting.sites.get(siteId);
  try {
    // Its hub asked before the home heard of it (a new home, the site just in) or after it left.
    if (!(site instanceof RemoteSite) || site.hubId !== hubId) {
      throw new SignalingError(
        'MEDIA_UNAVAILABLE',
        'Máy chủ chủ trì cuộc họp chưa nhận điểm cầu này. Hãy thử lại sau giây lát.',
        "The meeting's home server does not have this site yet. Try again in a moment.",
      );
    }
    return { done: ((await work(site)) ?? null) as T };
  } catch (err) {
    if (err instanceof SignalingError) return { refused: err.toBody() };
    throw err;
  }
}
