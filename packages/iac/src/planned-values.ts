// A planned resource's values are field values with terraform's "known after apply" marks: the reader and the
// three-valued helpers live in @aigov/normalize, shared with the live scanners' normalizers.
export {
  FieldValues as PlannedValues,
  isRecord,
  KNOWN_AFTER_APPLY,
  triAnd,
  triEquals,
  triNot,
  triOr,
} from "@aigov/normalize";
