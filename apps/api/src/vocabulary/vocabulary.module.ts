import { Module } from '@nestjs/common';
import { VocabularyController } from './vocabulary.controller';

/** `GET /api/v1/vocabulary`: the words for codes, no patient data. */
@Module({ controllers: [VocabularyController] })
export class VocabularyModule {}
