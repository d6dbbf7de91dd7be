import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'numbers-gateway:public';

/** Marks a route that needs no API key (health, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
