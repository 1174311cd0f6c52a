/**
 * The disaster-mail bridge's switch of disaster mode. When a bridge delivery goes out — the intake
 * calls this for a mail sent at once, the planner for every delivery it plans (approved, released
 * after its hold time, and again the one sent at once) — its mail's alert kind decides: a kind staff chose switches disaster mode on; a 解除 of the kinds in force
 * switches it off (when staff chose so). A test mail, or a delivery that is not the bridge's, does
 * nothing; a redelivered plan message changes nothing twice, and never undoes a later switch.
 */
import type { ReceivedMailRepository } from '../disaster-mail/ports';
import { liftedKinds } from '../disaster-mail/rules';
import type { DisasterAlertKind } from './model';
import { BRIDGE_NAME, switchDisaster, type SwitchDeps } from './staff-menu-links';

export async function disasterSignal(deps: SwitchDeps & { mails: Pick<ReceivedMailRepository, 'get'> }, deliveryId: string): Promise<'on' | 'off' | 'none'> {
  // 'on' / 'off': disaster mode itself switched; 'none': unchanged (or only the kinds in force changed).
  const mail = await deps.mails.get(deliveryId);
  // 'held' here is a held mail being approved or released (the planner plans only those); refused,
  // duplicate or discarded mails never switch anything.
  if (!mail || mail.source === 'test' || !mail.kind || (mail.decision !== 'sent' && mail.decision !== 'held')) return 'none';
  const settings = await deps.menuSettings.settings();
  if (!settings.disaster.menuId) return 'none';
  const actor = { loginId: BRIDGE_NAME, mailId: mail.mailId, at: mail.receivedAt };
  if (mail.kind === 'lifted') {
    if (!settings.disaster.offWhenLifted) return 'none';
    const lifted = liftedKinds({ subject: mail.subject ?? '', text: mail.text ?? '' });
    const { state, switched } = await switchDisaster(deps, actor, { on: false, liftedKinds: lifted as DisasterAlertKind[] });
    return switched && !state.active ? 'off' : 'none';
  }
  if (!settings.disaster.onKinds.includes(mail.kind)) return 'none';
  const { state, switched } = await switchDisaster(deps, actor, { on: true, kinds: [mail.kind] });
  return switched && state.active ? 'on' : 'none';
}
