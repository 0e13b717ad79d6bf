/** The plan readers the simulation uses: the repository's one implementation (components/lib/values.ts, shared with the chart pod models). */
export { arrayAt, at, coalesce, isObject, objectAt, str, stringMap, type Json, type JsonObject } from "../../../components/internal";
