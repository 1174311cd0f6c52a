/**
 * Form links reach citizens as LIFF addresses, however they are sent: the greeting's button, a
 * delivery's button or text, so LINE opens the form signed in. The click counter never hides a LIFF
 * address (LINE would open it in a browser where the form is not signed in); links to the city's own
 * LIFF app carry a click reference that the page reports, counted once per citizen.
 */
import { collectLinks, toLineMessages } from '../../../functions/deliveries/compose';
import { recordLiffClick } from '../../../functions/deliveries/liff-clicks';
import { trackedLinkUrl } from '../../../functions/deliveries/links';
import { greetingMessages } from '../../../functions/messaging/default-messages';
import { formLiffUrl, liffIdOf } from '../../../functions/shared/liff-url';

const OURS = '2000000000-LocalSim';
const DELIVERY = '01JDE7Q5H8K3M2N4P6R9T0V1WX';
const targets = { publicBaseUrl: 'https://line.example.jp', liffId: OURS };

describe('links in sent messages', () => {
  const link = trackedLinkUrl(targets, DELIVERY);

  it('an ordinary address goes through the click counter', () => {
    expect(link(0, 'https://www.city.arao.lg.jp/bousai/')).toBe(`https://line.example.jp/r/${DELIVERY}/0`);
  });

  it("the city's LIFF address stays a LIFF address, with its click reference", () => {
    expect(link(2, formLiffUrl(OURS, 'F1'))).toBe(`https://liff.line.me/${OURS}/forms/F1?clk=${DELIVERY}.2`);
    expect(link(1, `https://liff.line.me/${OURS}/forms/F1?lang=en`)).toBe(`https://liff.line.me/${OURS}/forms/F1?lang=en&clk=${DELIVERY}.1`);
  });

  it("another LIFF app's address is sent as it is (its page cannot report a click to us)", () => {
    expect(link(0, 'https://liff.line.me/1234567890-OtherApp/x')).toBe('https://liff.line.me/1234567890-OtherApp/x');
    expect(liffIdOf('https://liff.line.me.evil.example/2000000000-LocalSim')).toBeUndefined();
  });

  it('a button and a URL in text of one delivery both open the form as LIFF', () => {
    const variant = {
      lang: 'ja' as const,
      bubbles: [
        { type: 'text' as const, text: `登録はこちら ${formLiffUrl(OURS, 'profile')} から。防災情報は https://www.city.arao.lg.jp/ へ` },
        { type: 'link' as const, text: 'アンケートにご協力ください', label: '回答する', url: formLiffUrl(OURS, 'F1') },
      ],
    };
    const links = collectLinks({ variants: [variant] });
    const messages = toLineMessages(variant, links, { mediaUrl: () => 'https://x/m', linkUrl: link }) as Array<Record<string, any>>;
    expect(messages[0].text).toBe(
      `登録はこちら https://liff.line.me/${OURS}/forms/profile?clk=${DELIVERY}.0 から。防災情報は https://line.example.jp/r/${DELIVERY}/1 へ`,
    );
    expect(messages[1].contents.footer.contents[0].action.uri).toBe(`https://liff.line.me/${OURS}/forms/F1?clk=${DELIVERY}.2`);
  });

  it('a click reported by the page counts once per citizen and link', async () => {
    const seen = new Set<string>();
    const prefixes: string[] = [];
    const deliveries = {
      clickOnce: async (deliveryId: string, linkIndex: number, userId: string, urlPrefix: string) => {
        prefixes.push(urlPrefix);
        if (deliveryId !== DELIVERY || linkIndex > 2) return 'unknown' as const;
        const key = `${linkIndex}:${userId}`;
        if (seen.has(key)) return 'repeat' as const;
        seen.add(key);
        return 'counted' as const;
      },
    };
    const deps = { deliveries, liffId: OURS };
    expect(await recordLiffClick(deps, 'U1', `${DELIVERY}.2`)).toBe('counted');
    expect(await recordLiffClick(deps, 'U1', `${DELIVERY}.2`)).toBe('repeat');
    expect(await recordLiffClick(deps, 'U2', `${DELIVERY}.2`)).toBe('counted');
    expect(await recordLiffClick(deps, 'U1', `${DELIVERY}.9`)).toBe('unknown');
    expect(await recordLiffClick(deps, 'U1', 'DELIVERY#x.1')).toBe('invalid');
    // Only links to the city's LIFF app count this way (the store checks the stored address).
    expect(new Set(prefixes)).toEqual(new Set([`https://liff.line.me/${OURS}`]));
    expect(await recordLiffClick({ deliveries }, 'U3', `${DELIVERY}.2`)).toBe('unknown'); // no LIFF app configured
  });
});

describe('greeting', () => {
  it.each(['ja', 'en', 'ko', 'zh-Hans', 'zh-Hant'] as const)('promises only what exists (%s): a button to the profile form, no menu', (lang) => {
    const [text, invite] = greetingMessages(lang, '荒尾市', '花子', formLiffUrl(OURS, 'profile')) as Array<Record<string, any>>;
    expect(text.text).not.toMatch(/メニュー|menu|메뉴|菜单|選單/i);
    expect(invite.template.actions[0]).toEqual({ type: 'uri', label: expect.any(String), uri: `https://liff.line.me/${OURS}/forms/profile` });
    expect(invite.template.text.length).toBeLessThanOrEqual(160);
    expect(invite.template.actions[0].label.length).toBeLessThanOrEqual(20);
  });

  it('without a LIFF app, says nothing about registering', () => {
    const messages = greetingMessages('ja', '荒尾市', '花子');
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages)).not.toMatch(/登録|メニュー/);
  });
});
