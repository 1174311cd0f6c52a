/**
 * Builds the admin API's dependencies from the environment (composition root).
 * ADMIN_ALLOWED_ORIGINS (comma-separated, optional): origins allowed to sign in besides the
 * API's own host, e.g. the CloudFront URL of the console when the API sits behind it.
 */
import { DynamoAuditLog } from '../adapters/aws/audit-store';
import { DynamoFriendStatsReader } from '../adapters/aws/friend-stats-reader';
import { DynamoSessionRepository, DynamoUnknownIdFailures } from '../adapters/aws/session-store';
import { DynamoStaffRepository } from '../adapters/aws/staff-store';
import { DynamoAudienceSource } from '../adapters/aws/audience-source';
import { DynamoDeliverySettingsStore } from '../adapters/aws/delivery-settings-store';
import { DynamoDeliveryStore } from '../adapters/aws/delivery-store';
import { DynamoMediaStore } from '../adapters/aws/media-store';
import { DynamoFriendDirectory } from '../adapters/aws/friend-directory';
import { DynamoFriendRepository } from '../adapters/aws/friend-store';
import { DynamoConversationPages } from '../adapters/aws/conversation-pages';
import { LineContentReader } from '../adapters/line/content-reader';
import { LineRichMenuPlatform } from '../adapters/line/richmenu-platform';
import { DynamoRichMenuStore } from '../adapters/aws/richmenu-store';
import { DynamoDeliveryReceipts } from '../adapters/aws/delivery-receipts';
import { DynamoRichMenuLinkStore } from '../adapters/aws/richmenu-link-store';
import { DynamoRichMenuSettingsStore } from '../adapters/aws/richmenu-settings-store';
import { syncRequester } from '../richmenus/wiring';
import { appSealer } from '../adapters/aws/app-secret';
import { DynamoChatThreads } from '../adapters/aws/chat-thread-store';
import { DynamoReportSettings } from '../adapters/aws/report-settings-store';
import { DynamoReportStore } from '../adapters/aws/report-store';
import { ensureStarterReportScenario } from '../reports/starter-scenario';
import type { ReportRouteDeps } from './report-routes';
import type { StaffScenariosDeps } from '../scenarios/staff-scenarios';
import { DynamoChatSettings } from '../adapters/aws/chat-settings-store';
import { DynamoStaffMessages } from '../adapters/aws/staff-message-store';
import { DynamoConversationLog } from '../adapters/aws/conversation-store';
import { MessagingApiGateway } from '../adapters/line/messaging-api-gateway';
import { DynamoScenarioDefinitions } from '../adapters/aws/scenario-definition-store';
import { DynamoScenarioResults } from '../adapters/aws/scenario-result-store';
import { DynamoScenarioSteps } from '../adapters/aws/scenario-step-store';
import { DynamoKeywordHitStore } from '../adapters/aws/keyword-hit-store';
import { DynamoKeywordRuleStore } from '../adapters/aws/keyword-rule-store';
import { DynamoUnansweredLog } from '../adapters/aws/unanswered-store';
import { ensureStarterKeywords } from '../keywords/starter';
import type { KeywordRouteDeps } from './keyword-routes';
import { DynamoRecurringStore } from '../adapters/aws/recurring-store';
import { DynamoSegmentStore } from '../adapters/aws/segment-store';
import { EventBridgeDeliveryScheduler } from '../adapters/aws/eventbridge-scheduler';
import { lineAccessToken } from '../adapters/aws/line-credentials';
import { MessagingApiDeliveryGateway } from '../adapters/line/delivery-gateway';
import type { DeliveryScheduler } from '../deliveries/ports';
import { staffMailDeps, type LocalMailWiring } from '../disaster-mail/wiring';
import { queuesFromEnv, type PipelineQueues } from '../deliveries/wiring';
import type { PlannerMessage } from '../deliveries/model';
import type { JsonQueue } from '../ports/event-queue';
import { systemClock, type Clock } from '../ports/clock';
import { ENV } from '../shared/env';
import { ScryptPasswordHasher } from '../staff/password';
import { onceProfileForm } from '../forms/bootstrap';
import { formStores } from '../forms/wiring';
import type { AdminDeps } from './api';
import type { CsvDelivery } from './form-routes';
import type { DeliveryRouteDeps } from './delivery-routes';
import type { BootstrapDeps } from './bootstrap';

export const ADMIN_ALLOWED_ORIGINS = 'ADMIN_ALLOWED_ORIGINS';

/** Where deliveries go locally: the runtime's queues, scheduler and (controllable) clock. */
export interface LocalDeliveryWiring {
  queues: PipelineQueues;
  scheduler: DeliveryScheduler;
  clock: Clock;
  /** The disaster-mail bridge's raw-mail store and intake queue (S3 and SQS in AWS). */
  mail?: Pick<LocalMailWiring, 'mailStore' | 'intake'>;
}

/**
 * `stream` only where the caller can pipe a Node stream (the local gateway); Lambda buffers.
 * Deliveries use SQS + EventBridge Scheduler from the environment in AWS, or `local`.
 */
export function adminDeps(options: { csvDelivery?: CsvDelivery; local?: LocalDeliveryWiring } = {}): AdminDeps {
  const audit = new DynamoAuditLog();
  const stores = formStores();
  const formDeps = { audit, ...stores, clock: systemClock };
  // A friend's conversation: the friends page and the 1:1 chat read the same history.
  const history = {
    directory: new DynamoFriendDirectory(),
    segments: new DynamoSegmentStore(),
    audience: new DynamoAudienceSource(),
    conversations: new DynamoConversationPages(undefined, undefined, undefined, new DynamoDeliveryReceipts()),
    forms: stores.forms,
    responses: stores.responses,
    content: new LineContentReader(lineAccessToken),
    deliveries: new DynamoDeliveryStore(),
    publicBaseUrl: (process.env[ENV.PUBLIC_BASE_URL] ?? '').replace(/\/+$/, ''),
  };
  return {
    // AWS: the queues and scheduler from the environment (set by the CDK stack); locally the runtime's.
    ...(options.local || process.env[ENV.PLANNER_QUEUE_URL] ? { deliveries: deliveryDeps(formDeps, options) } : {}),
    // AWS: the mail bucket and intake queue from the environment (MAIL_BUCKET, MAIL_QUEUE_URL); locally the runtime's.
    ...(options.local?.mail || process.env[ENV.MAIL_QUEUE_URL]
      ? {
          disasterMail: staffMailDeps(
            audit,
            options.local?.mail && {
              ...options.local.mail,
              planner: options.local.queues.planner,
              scheduler: options.local.scheduler,
              clock: options.local.clock,
            },
          ),
        }
      : {}),
    keywords: keywordDeps(audit, options.local?.clock ?? systemClock),
    richMenus: {
      audit,
      clock: options.local?.clock ?? systemClock,
      richMenus: new DynamoRichMenuStore(),
      scenarios: new DynamoScenarioDefinitions(),
      platform: new LineRichMenuPlatform(lineAccessToken),
      blobs: stores.blobs,
      forms: stores.forms,
      liffId: process.env[ENV.LIFF_ID] || undefined,
      menuSettings: new DynamoRichMenuSettingsStore(),
      links: new DynamoRichMenuLinkStore(),
      segments: new DynamoSegmentStore(),
      requestSync: syncRequester(options.local?.queues.planner ?? lazyPlanner(), options.local?.clock ?? systemClock),
    },
    scenarios: {
      audit,
      clock: options.local?.clock ?? systemClock,
      definitions: new DynamoScenarioDefinitions(),
      steps: new DynamoScenarioSteps(),
      results: new DynamoScenarioResults(),
      media: new DynamoMediaStore(),
      forms: stores.forms,
    },
    friends: history,
    chat: {
      audit,
      clock: options.local?.clock ?? systemClock,
      threads: new DynamoChatThreads(undefined, undefined, appSealer),
      settings: new DynamoChatSettings(),
      messages: new DynamoStaffMessages(),
      conversations: new DynamoConversationLog(),
      line: new MessagingApiGateway({ channelAccessToken: lineAccessToken }),
      staff: new DynamoStaffRepository(),
      media: new DynamoMediaStore(),
      publicBaseUrl: history.publicBaseUrl ?? '',
      history,
    },
    reports: reportDeps(audit, options.local?.clock ?? systemClock, stores, history.publicBaseUrl ?? ''),
    staff: new DynamoStaffRepository(),
    sessions: new DynamoSessionRepository(),
    unknownIds: new DynamoUnknownIdFailures(),
    audit,
    ...stores,
    csvDelivery: options.csvDelivery ?? 'buffered',
    formsBootstrap: onceProfileForm({ forms: stores.forms, audit, clock: systemClock }),
    liffId: process.env[ENV.LIFF_ID] || undefined,
    friendStats: new DynamoFriendStatsReader(),
    hasher: new ScryptPasswordHasher(),
    clock: systemClock,
    allowedOrigins: (process.env[ADMIN_ALLOWED_ORIGINS] ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  };
}

export function bootstrapDeps(): BootstrapDeps {
  return { staff: new DynamoStaffRepository(), audit: new DynamoAuditLog(), hasher: new ScryptPasswordHasher(), clock: systemClock };
}

/** Citizen reports (docs/reports-api.md); the starter report scenario created at the first request. */
function reportDeps(
  audit: AdminDeps['audit'],
  clock: Clock,
  stores: { blobs: ReportRouteDeps['blobs']; forms: StaffScenariosDeps['forms'] },
  publicBaseUrl: string,
): ReportRouteDeps {
  const settings = new DynamoReportSettings();
  let seeded: Promise<unknown> | undefined;
  return {
    audit,
    clock,
    reports: new DynamoReportStore(),
    settings,
    blobs: stores.blobs,
    line: new MessagingApiGateway({ channelAccessToken: lineAccessToken }),
    friends: new DynamoFriendRepository(),
    sealer: appSealer,
    media: new DynamoMediaStore(),
    publicBaseUrl,
    reportsBootstrap: async () => {
      seeded ??= ensureStarterReportScenario({
        audit,
        clock,
        definitions: new DynamoScenarioDefinitions(),
        steps: new DynamoScenarioSteps(),
        results: new DynamoScenarioResults(),
        media: new DynamoMediaStore(),
        forms: stores.forms,
        marker: settings.starterMarker(),
      }).catch((error) => {
        seeded = undefined;
        throw error;
      });
      await seeded;
    },
  };
}

/** Keyword auto-replies (docs/keywords-api.md); the starter set loaded at the first request. */
function keywordDeps(audit: AdminDeps['audit'], clock: Clock): KeywordRouteDeps {
  const keywordRules = new DynamoKeywordRuleStore();
  let seeded: Promise<unknown> | undefined;
  return {
    audit,
    clock,
    keywordRules,
    scenarios: new DynamoScenarioDefinitions(),
    keywordHits: new DynamoKeywordHitStore(),
    unanswered: new DynamoUnansweredLog(),
    media: new DynamoMediaStore(),
    publicBaseUrl: (process.env[ENV.PUBLIC_BASE_URL] ?? '').replace(/\/+$/, ''),
    keywordsBootstrap: async () => {
      seeded ??= ensureStarterKeywords({ keywordRules, audit, clock }).catch((error) => {
        seeded = undefined;
        throw error;
      });
      await seeded;
    },
  };
}

/** Deliveries, segments and recurring deliveries (docs/deliveries-api.md). */
function deliveryDeps(forms: DeliveryRouteDeps['forms'], options: { csvDelivery?: CsvDelivery; local?: LocalDeliveryWiring }): DeliveryRouteDeps {
  const queues = options.local?.queues ?? queuesFromEnv();
  return {
    audit: forms.audit,
    clock: options.local?.clock ?? systemClock,
    deliveries: new DynamoDeliveryStore(),
    scenarios: new DynamoScenarioDefinitions(),
    segments: new DynamoSegmentStore(),
    recurrings: new DynamoRecurringStore(),
    media: new DynamoMediaStore(),
    settings: new DynamoDeliverySettingsStore(),
    audience: new DynamoAudienceSource(),
    line: new MessagingApiDeliveryGateway({ channelAccessToken: lineAccessToken }),
    scheduler: options.local?.scheduler ?? new EventBridgeDeliveryScheduler(),
    planner: queues.planner,
    send: queues.send,
    blobs: forms.blobs,
    forms,
    csvDelivery: options.csvDelivery ?? 'buffered',
  };
}

/** The planner queue from the environment, made on first use (a stage without deliveries wired still starts). */
function lazyPlanner(): JsonQueue<PlannerMessage> {
  let queue: JsonQueue<PlannerMessage> | undefined;
  return { send: (messages) => (queue ??= queuesFromEnv().planner).send(messages) };
}
