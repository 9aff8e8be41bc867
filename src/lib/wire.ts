/**
 * A server shape as the web app receives it: JSON turns each Date into its ISO
 * string. Plain types, no imports: the web bundle imports this file as it is,
 * so an API shape is declared once, on the server, and read by both.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
