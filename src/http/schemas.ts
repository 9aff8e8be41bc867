import { Type } from 'typebox';

/** The error body every route answers with (ARCHITECTURE.md "errors"). */
export const ErrorBody = Type.Object(
  {
    error: Type.String(),
    code: Type.String(),
    fields: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
  },
  { $id: 'Error' },
);

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, Type.Ref('Error')]));

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
