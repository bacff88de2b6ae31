// @lambdakit/parser/alb: this source's schemas and payload helper, without the other sources'.
export { type AlbEvent, AlbEventSchema, alb } from '../alb.js';
