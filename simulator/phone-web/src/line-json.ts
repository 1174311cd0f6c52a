/**
 * How the phone page reads LINE's own objects that the simulator's answers carry (the messages of
 * the timeline, the rich menu: `LineJson` in simulator/views.ts, which declares the answers). They
 * are the account's JSON, checked by the simulator but kept as sent and rendered defensively: every
 * field the page reads is optional and checked where it is used. Browser-only: nothing else reads
 * these objects field by field.
 */
import type { ConversationItem, RichMenuView } from '../../views';

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

export interface RichMenuArea {
  bounds?: { x?: number; y?: number; width?: number; height?: number };
  action?: Action;
}

/** A rich menu object (LINE's format). */
export interface RichMenuObject {
  name?: string;
  chatBarText?: string;
  selected?: boolean;
  size?: { width?: number; height?: number };
  areas?: RichMenuArea[];
}

/** A line of the timeline, its message read as LINE's message object. */
export type TimelineItem = ConversationItem<LineMessage>;

/** The citizen's rich menu as the page reads it. */
export type PhoneRichMenu = RichMenuView<RichMenuObject>;
