import { Module } from '@nestjs/common';
import { DocsController } from './docs.controller';

/** The OpenAPI document and its Swagger UI (`/api/docs`). */
@Module({ controllers: [DocsController] })
export class OpenApiModule {}
