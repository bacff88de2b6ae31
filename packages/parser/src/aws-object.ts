import * as z from 'zod';

/**
 * An object of an event AWS sends: its documented fields validated and typed, and any field AWS
 * adds later kept at run time (a loose object). Its static type lists the documented fields only,
 * so a typo (`event.requestContext.htpp`) is a compile error, not an `unknown`.
 */
export function awsObject<Shape extends z.core.$ZodShape>(shape: Shape): z.ZodObject<Shape, z.core.$strip> {
  return z.looseObject(shape) as unknown as z.ZodObject<Shape, z.core.$strip>;
}
