/** The webhook's message schema (functions/webhook/schema.ts): LINE's imageSet on images chosen at once. */
import { messageEventSchema } from '../../../functions/webhook/schema';

const SET = 'E005D41A7288F41B65593ED38FF6E9834B046AB36A37921A56BC236F13A91855';

function imageEvent(imageSet?: unknown) {
  return {
    type: 'message',
    mode: 'active',
    timestamp: 1_795_914_000_000,
    source: { type: 'user', userId: 'U0123456789abcdef0123456789abcdef' },
    webhookEventId: '01JEVENT000000000000000001',
    deliveryContext: { isRedelivery: false },
    replyToken: 'token',
    message: {
      id: '354718705033693861',
      type: 'image',
      quoteToken: 'q',
      markAsReadToken: 'read',
      contentProvider: { type: 'line' },
      ...(imageSet === undefined ? {} : { imageSet }),
    },
  };
}

describe('message event schema: imageSet', () => {
  it('keeps a well-formed imageSet (unknown keys stripped), up to id 100 characters and 100 images', () => {
    const parsed = messageEventSchema.parse(imageEvent({ id: SET, index: 2, total: 3, extra: 'x' }));
    expect(parsed.message.imageSet).toEqual({ id: SET, index: 2, total: 3 });
    expect(messageEventSchema.parse(imageEvent({ id: 'a'.repeat(100), index: 100, total: 100 })).message.imageSet).toEqual({
      id: 'a'.repeat(100),
      index: 100,
      total: 100,
    });
    expect(messageEventSchema.parse(imageEvent({ id: SET, index: 1, total: 1 })).message.imageSet).toEqual({ id: SET, index: 1, total: 1 });
  });

  it('a single image has none', () => {
    const r = messageEventSchema.safeParse(imageEvent());
    expect(r.success).toBe(true);
    expect(r.data?.message.imageSet).toBeUndefined();
    expect(r.data && 'imageSet' in r.data.message).toBe(false);
  });

  it.each([
    ['index 0', { id: SET, index: 0, total: 2 }],
    ['index past total', { id: SET, index: 3, total: 2 }],
    ['index 101', { id: SET, index: 101, total: 101 }],
    ['total 0', { id: SET, index: 1, total: 0 }],
    ['a fractional index', { id: SET, index: 1.5, total: 2 }],
    ['an index as a string', { id: SET, index: '1', total: 2 }],
    ['an empty id', { id: '', index: 1, total: 2 }],
    ['an id of 101 characters', { id: 'a'.repeat(101), index: 1, total: 2 }],
    ['no id', { index: 1, total: 2 }],
    ['a string', SET],
    ['null', null],
    ['an array', [SET, 1, 2]],
  ])('%s: the imageSet is dropped, the event is still accepted with everything else', (_label, imageSet) => {
    const r = messageEventSchema.safeParse(imageEvent(imageSet));
    expect(r.success).toBe(true);
    expect(r.data?.message.imageSet).toBeUndefined();
    expect(r.data?.message).toMatchObject({ id: '354718705033693861', type: 'image', markAsReadToken: 'read', contentProvider: { type: 'line' } });
  });

  it('other fields still refuse the event as before', () => {
    const event = imageEvent({ id: SET, index: 1, total: 2 });
    expect(messageEventSchema.safeParse({ ...event, message: { ...event.message, markAsReadToken: 'x'.repeat(513) } }).success).toBe(false);
  });
});
