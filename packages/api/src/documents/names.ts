/** Names of the shared document (public contract, see DESIGN.md). */
export const CODE_TEXT = "code";
export const META_MAP = "meta";
