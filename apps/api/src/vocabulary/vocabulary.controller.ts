import { Controller, Get } from '@nestjs/common';
import { VOCABULARY } from '@tandem/domain';
import { Allow } from '../auth/auth.guard';
import { STAFF_ROLES } from '../auth/roles';

/** The words for every code the API returns (task types, outcomes, queues, rules …), for the console. */
@Controller('api/v1/vocabulary')
@Allow(...STAFF_ROLES)
export class VocabularyController {
  @Get()
  vocabulary(): typeof VOCABULARY {
    return VOCABULARY;
  }
}
