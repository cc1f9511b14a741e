// Types for the release-embed npm package (hand-written; the wasm glue's own are internal).

/** Options for mount(). Every attribute of <release-embed> has an option of the same meaning. */
export interface MountOptions {
  /** URL of the feed. Either this or `feed`. */
  src?: string;
  /** A feed the page already has (an object, or its JSON text): nothing is fetched. */
  feed?: object | string;
  /** Default "auto": detected from the document. */
  format?: "auto" | "native" | "jsonfeed" | "wordpress" | "rss" | "atom";
  /** Show only this release. */
  release?: string;
  /** Releases per page of the list, 1–100. Default 10. */
  pageSize?: number;
  /** "none", or the controls to show. Default: all. */
  filters?: "none" | "all" | Array<"search" | "tags" | "agencies" | "years" | "dates" | "sort"> | string;
  /** "none", or the Share this controls to offer. Default: all. */
  share?: "none" | "all" | Array<"email" | "x" | "facebook" | "linkedin" | "bluesky" | "copy" | "print" | "native"> | string;
  /** The language for dates (a BCP 47 tag such as "en-US"). Default: the page's. */
  lang?: string;
  /** Seconds to wait for the feed. Default 10. */
  timeout?: number;
  /** Heading level of release titles, 1–6. Default 2. */
  headingLevel?: number;
  /** The label above the list and each release. Default "Press Releases". */
  sectionLabel?: string;
  /** The most pages of a paged feed to read. Default 5. */
  pages?: number;
  /**
   * Prefix of the widget's parameters in the page URL. Without one, each widget gets its own in
   * the order they start: "re", "re-2", "re-3"…
   */
  urlKey?: string;
  /** The most bytes of the feed's response to read; past it the widget shows what it read, with a notice. Default 100000000 (100 MB). */
  maxBytes?: number;
  /** "list" (default), "cards" (a grid with each release's image) or "headlines" (titles and dates only). */
  layout?: "list" | "cards" | "headlines";
  /** Show only the N newest releases (1–100), without paging. */
  limit?: number;
  /** A link after the list, such as the newsroom page. */
  moreHref?: string;
  /** The text of that link. Default "All press releases". */
  moreLabel?: string;
  /** "inline" (default): titles open the release here; "link": they go to its own `url`. */
  open?: "inline" | "link";
  /** A Subscribe link beside the list's heading (email alerts, the feed). */
  subscribeHref?: string;
  /** The text of that link. Default "Subscribe". */
  subscribeLabel?: string;
}

export type Sort = "relevance" | "newest" | "oldest";

/** The reader's filters, as setFilters() takes them and release-embed:filter reports them. */
export interface FilterState {
  query?: string;
  tags?: string[];
  agencies?: string[];
  years?: number[];
  /** YYYY-MM-DD, inclusive. */
  from?: string | null;
  to?: string | null;
  sort?: Sort | null;
  /** From 1. */
  page?: number;
}

export interface ReleaseEmbed {
  readonly element: Element;
  /** Changes some options; the others keep their values. */
  setOptions(options: Partial<MountOptions>): void;
  setQuery(query: string): void;
  setFilters(filters: FilterState): void;
  /** Shows a release, or the list for null. */
  open(id: string | null): void;
  /** Loads the feed again. */
  refresh(): void;
  /** Removes everything the widget added: content, listeners. */
  destroy(): void;
}

export function mount(element: Element, options: MountOptions): Promise<ReleaseEmbed>;

export interface LoadDetail {
  count: number;
  format: "native" | "jsonfeed" | "wordpress" | "rss" | "atom" | "archive";
  pages: number;
}
export interface OpenDetail {
  id: string;
}
export interface ShareDetail {
  network: "email" | "x" | "facebook" | "linkedin" | "bluesky" | "copy" | "print" | "native";
}
export interface ErrorDetail {
  message: string;
}

export interface ReleaseEmbedEventMap {
  "release-embed:load": CustomEvent<LoadDetail>;
  "release-embed:open": CustomEvent<OpenDetail>;
  "release-embed:filter": CustomEvent<Required<FilterState>>;
  "release-embed:share": CustomEvent<ShareDetail>;
  "release-embed:error": CustomEvent<ErrorDetail>;
}

declare global {
  // The events bubble and cross shadow roots: listen on the element or anywhere above it. They are
  // dispatched in a microtask after the change that caused them, so a listener may change the
  // widget (attributes, handle methods) or remove or move its element.
  interface ElementEventMap extends ReleaseEmbedEventMap {}
  interface DocumentEventMap extends ReleaseEmbedEventMap {}
  interface HTMLElementTagNameMap {
    "release-embed": HTMLElement;
  }
}
