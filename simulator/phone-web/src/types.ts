/**
 * What the phone page reads from the simulator's control API (/sim/*, docs/line-simulator.md).
 * Messages and actions are the account's own JSON (validated by the simulator, still rendered
 * defensively): every field the page reads is optional and checked where it is used.
 */

export interface Citizen {
  userId: string;
  displayName: string;
  language: string;
  pictureUrl?: string;
  statusMessage?: string;
  blocked: boolean;
  following: boolean;
  createdAt: number;
  followedAt?: number;
  richMenuId?: string;
}

export interface WebhookResult {
  status: number | null;
  ok: boolean;
  error?: string;
  durationMs: number;
}

export interface SimConfigView {
  liffApps: Record<string, string>;
  loginChannelId?: string;
}

/** A LINE action object (message, postback, uri, datetimepicker, camera, cameraRoll, location, richmenuswitch, clipboard). */
export interface Action {
  type: string;
  label?: string;
  text?: string;
  data?: string;
  displayText?: string;
  uri?: string;
  /** imagemap uri action */
  linkUri?: string;
  mode?: string;
  initial?: string;
  min?: string;
  max?: string;
  richMenuAliasId?: string;
  clipboardText?: string;
}

export interface QuickReplyItem {
  type?: string;
  imageUrl?: string;
  action?: Action;
}

/** One message object as LINE defines it; only the fields the page shows. */
export interface LineMessage {
  type: string;
  text?: string;
  altText?: string;
  originalContentUrl?: string;
  previewImageUrl?: string;
  /** a citizen's own image, served by the simulator */
  contentUrl?: string;
  title?: string;
  address?: string;
  latitude?: number;
  longitude?: number;
  packageId?: string | number;
  stickerId?: string | number;
  baseUrl?: string;
  baseSize?: { width?: number; height?: number };
  actions?: ImagemapAction[];
  template?: Template;
  contents?: FlexContainer;
  quickReply?: { items?: QuickReplyItem[] };
  sender?: { name?: string; iconUrl?: string };
}

export interface ImagemapAction {
  type: string;
  label?: string;
  text?: string;
  linkUri?: string;
  area?: { x?: number; y?: number; width?: number; height?: number };
}

export interface TemplateColumn {
  thumbnailImageUrl?: string;
  imageBackgroundColor?: string;
  imageUrl?: string;
  title?: string;
  text?: string;
  defaultAction?: Action;
  actions?: Action[];
  action?: Action;
}

export interface Template extends TemplateColumn {
  type?: string;
  imageAspectRatio?: string;
  imageSize?: string;
  columns?: TemplateColumn[];
}

/** A flex container (bubble or carousel) or component: one loose shape, read by `type`. */
export interface FlexNode {
  type?: string;
  size?: string;
  layout?: string;
  contents?: FlexNode[];
  header?: FlexNode;
  hero?: FlexNode;
  body?: FlexNode;
  footer?: FlexNode;
  styles?: Record<string, { backgroundColor?: string; separator?: boolean; separatorColor?: string } | undefined>;
  action?: Action;
  text?: string;
  url?: string;
  flex?: number;
  margin?: string;
  spacing?: string;
  gravity?: string;
  align?: string;
  justifyContent?: string;
  alignItems?: string;
  color?: string;
  weight?: string;
  style?: string;
  decoration?: string;
  wrap?: boolean;
  maxLines?: number;
  lineSpacing?: string;
  aspectRatio?: string;
  aspectMode?: string;
  backgroundColor?: string;
  borderColor?: string;
  borderWidth?: string;
  cornerRadius?: string;
  paddingAll?: string;
  paddingTop?: string;
  paddingBottom?: string;
  paddingStart?: string;
  paddingEnd?: string;
  width?: string;
  height?: string;
  maxWidth?: string;
  maxHeight?: string;
  position?: string;
  offsetTop?: string;
  offsetBottom?: string;
  offsetStart?: string;
  offsetEnd?: string;
  altContent?: FlexNode;
}

export type FlexContainer = FlexNode;

/** One line of the timeline (GET /sim/citizens/:userId/conversation). */
export interface ConversationItem {
  from: 'account' | 'citizen';
  ord: number;
  at: number;
  id: string;
  source?: string;
  requestId?: string;
  kind?: string;
  message: LineMessage;
}

export interface RichMenuArea {
  bounds?: { x?: number; y?: number; width?: number; height?: number };
  action?: Action;
}

export interface RichMenuView {
  richMenuId: string;
  name?: string;
  chatBarText?: string;
  selected?: boolean;
  size?: { width?: number; height?: number };
  areas?: RichMenuArea[];
  imageUrl: string | null;
}

/** What a citizen sends (POST /sim/citizens/:userId/messages). */
export type CitizenMessageBody =
  | { type: 'text'; text: string }
  | { type: 'postback'; data: string; displayText?: string; params?: Record<string, string> }
  | { type: 'image'; contentBase64: string; contentType: string }
  | { type: 'location'; title?: string; address: string; latitude: number; longitude: number }
  | { type: 'sticker'; packageId: string; stickerId: string };

/** Server-sent events of /sim/stream. */
export type StreamEvent =
  | { type: 'citizen'; citizen: Citizen }
  | { type: 'citizens' }
  | { type: 'received'; requestId: string; source: string; userIds: string[] | null }
  | { type: 'sent'; userId: string }
  | { type: 'webhook'; status: number | null; ok: boolean; eventTypes: string[] }
  | { type: 'richmenu' }
  | { type: 'reset' };
