/** Builds rich menus' link and disaster-mode dependencies from the environment (composition root; docs/richmenus-api.md). */
import { DynamoAuditLog } from '../adapters/aws/audit-store';
import { DynamoAudienceSource } from '../adapters/aws/audience-source';
import { DynamoFriendSegmentSource } from '../adapters/aws/friend-segment-source';
import { lineAccessToken } from '../adapters/aws/line-credentials';
import { DynamoReceivedMailStore } from '../adapters/aws/received-mail-store';
import { DynamoRichMenuLinkStore } from '../adapters/aws/richmenu-link-store';
import { DynamoRichMenuSettingsStore } from '../adapters/aws/richmenu-settings-store';
import { DynamoRichMenuStore } from '../adapters/aws/richmenu-store';
import { DynamoSegmentStore } from '../adapters/aws/segment-store';
import { LineRichMenuPlatform } from '../adapters/line/richmenu-platform';
import type { JsonQueue } from '../deliveries/ports';
import type { PlannerMessage } from '../deliveries/model';
import { hostClock, type Clock } from '../ports/clock';
import { disasterSignal } from './disaster-signal';
import { LinkPlanCache, relinkFriend, syncLinks, type LinkDeps, type RelinkDeps } from './links';

/** A run of the link job, queued on the planner queue. */
export const syncRequester = (planner: JsonQueue<PlannerMessage>, clock: Clock) => async () => {
  await planner.send([{ type: 'richMenuSync', requestedAt: clock.now().toISOString() }]);
};

export function linkDeps(clock: Clock = hostClock): LinkDeps {
  return {
    richMenus: new DynamoRichMenuStore(),
    menuSettings: new DynamoRichMenuSettingsStore(),
    links: new DynamoRichMenuLinkStore(),
    platform: new LineRichMenuPlatform(lineAccessToken),
    segments: new DynamoSegmentStore(),
    clock,
  };
}

/** The planner's `richMenuSync`. */
export const richMenuSync = (clock: Clock = hostClock) => {
  const deps = { ...linkDeps(clock), audience: new DynamoAudienceSource() };
  return (requestedAt: string) => syncLinks(deps, requestedAt);
};

/** The planner's and the intake's switch of disaster mode by a bridge mail. */
export const bridgeDisasterSignal = (planner: JsonQueue<PlannerMessage>, clock: Clock = hostClock) => {
  const deps = { ...linkDeps(clock), audit: new DynamoAuditLog(), mails: new DynamoReceivedMailStore(), requestSync: syncRequester(planner, clock) };
  return (mailId: string) => disasterSignal(deps, mailId);
};

let relink: RelinkDeps | undefined;
/** One friend's link after they follow or answer a form (the webhook, the LIFF API); the plan is cached a few seconds per instance. */
export const friendRelinker = (clock: Clock = hostClock) => {
  relink ??= { ...linkDeps(clock), sources: new DynamoFriendSegmentSource(), planCache: new LinkPlanCache() };
  const deps = relink;
  return (userId: string) => relinkFriend(deps, userId);
};
