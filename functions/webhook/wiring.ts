/**
 * Composition root of the webhook consumer (the receiver's is receive-wiring.ts): DynamoDB stores,
 * the LINE client, the dispatcher, from the environment.
 */
import { DynamoConversationLog } from '../adapters/aws/conversation-store';
import { DynamoEventLedger } from '../adapters/aws/event-ledger-store';
import { DynamoFriendRepository } from '../adapters/aws/friend-store';
import { lineAccessToken } from '../adapters/aws/line-credentials';
import { MessagingApiGateway } from '../adapters/line/messaging-api-gateway';
import { DynamoKeywordHitStore } from '../adapters/aws/keyword-hit-store';
import { DynamoKeywordRuleStore } from '../adapters/aws/keyword-rule-store';
import { DynamoUnansweredRecorder } from '../adapters/aws/unanswered-recorder';
import { keywordResponder, recordingUnanswered } from '../keywords/responder';
import { CachedKeywordRules } from '../keywords/rule-cache';
import { systemClock } from '../ports/clock';
import { DynamoScenarioDefinitions } from '../adapters/aws/scenario-definition-store';
import { DynamoScenarioRuns } from '../adapters/aws/scenario-run-store';
import { DynamoScenarioSteps } from '../adapters/aws/scenario-step-store';
import { ScenarioRuntime } from '../scenarios/responder';
import { ChatDesk, keywordHandoff, scenarioHandoff } from '../chat/citizen-chat';
import { DynamoChatThreads } from '../adapters/aws/chat-thread-store';
import { DynamoChatSettings } from '../adapters/aws/chat-settings-store';
import { ulid } from 'ulid';
import { defaultReplyResponder, Dispatcher } from './dispatcher';
import type { ProcessEventDeps } from './process-event';

import { ENV, requireEnv } from '../shared/env';
import type { PlannerMessage } from '../deliveries/model';
import { jsonQueue, type JsonQueue } from '../ports/event-queue';
import { SqsQueue } from '../adapters/aws/sqs-queue';
import { traced } from '../adapters/aws/tracer';
import { mayConcernReports, type ReportDesk } from '../reports/citizen-reports';
import { reportDesk } from '../reports/wiring';

export const CITY_NAME = process.env.CITY_NAME ?? '荒尾市';

/** `planner`: the local runtime's planner queue (in AWS, PLANNER_QUEUE_URL); citizen reports queue their photo job there. */
export function processDeps(options: { planner?: JsonQueue<PlannerMessage> } = {}): ProcessEventDeps {
  const keywordRules = new DynamoKeywordRuleStore();
  // The starter set is loaded by the local start, the admin API's first request or the hourly job (not here: the audit log's code stays out of this bundle).
  const rules = new CachedKeywordRules({ keywordRules });
  const publicBaseUrl = (process.env[ENV.PUBLIC_BASE_URL] ?? '').replace(/\/+$/, '');
  const liffId = process.env[ENV.LIFF_ID] || undefined;
  const friends = new DynamoFriendRepository();
  const conversations = new DynamoConversationLog();
  const chat = new ChatDesk({ threads: new DynamoChatThreads(), settings: new DynamoChatSettings(), conversations, friends, clock: systemClock });
  // Built on the first report: an answer that is not a report never needs the planner queue.
  let desk: ReportDesk | undefined;
  const reports = () =>
    (desk ??= reportDesk(options.planner ?? jsonQueue<PlannerMessage>(new SqsQueue(requireEnv(ENV.PLANNER_QUEUE_URL), { capture: traced })), systemClock));
  const scenarios = new ScenarioRuntime({
    definitions: new DynamoScenarioDefinitions(),
    steps: new DynamoScenarioSteps(),
    runs: new DynamoScenarioRuns(),
    clock: systemClock,
    publicBaseUrl,
    liffId,
    newRunId: () => ulid(),
    handoff: scenarioHandoff(chat),
    report: (request) => reports().fromRun(request),
  });
  return {
    ledger: new DynamoEventLedger(),
    friends,
    conversations,
    line: new MessagingApiGateway({ channelAccessToken: lineAccessToken }),
    dispatcher: new Dispatcher(
      [
        chat.responder(),
        scenarios.responder(),
        // After the scenarios (a live run or a start word wins over adding to a report); only a
        // report's buttons, or a friend adding to a report, reach past its first check.
        { name: 'reports', respond: (input) => (mayConcernReports(input) ? reports().responder().respond(input) : Promise.resolve(null)) },
        keywordResponder({ rules, keywordHits: new DynamoKeywordHitStore(), clock: systemClock, publicBaseUrl, handoff: keywordHandoff(chat) }),
      ],
      recordingUnanswered(defaultReplyResponder(CITY_NAME), new DynamoUnansweredRecorder()),
    ),
    clock: systemClock,
    cityName: CITY_NAME,
    liffId,
    onboard: (request) => scenarios.onboard(request),
    afterUnfollow: (userId, at, eventId) => chat.onBlocked(userId, at, eventId),
    // Loaded on the first follow: the rich menu code stays off the message path.
    afterFollow: async (userId) => (await import('../richmenus/wiring')).friendRelinker()(userId),
  };
}
