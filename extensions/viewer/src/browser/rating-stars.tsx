import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';

export interface RatingStarsProps {
    readonly rating: number;
    readonly onRate: (rating: number) => void;
}

/** Five stars; clicking the current rating again clears it. The number keys 0-5 do the same in the viewer. */
export function RatingStars({ rating, onRate }: RatingStarsProps): React.ReactElement {
    return <div className='imageparser-viewer-rating' role='radiogroup' aria-label={nls.localize('imageparser/viewer/rating', 'Rating')}>
        {[1, 2, 3, 4, 5].map(value => <button key={value} type='button' role='radio' aria-checked={rating === value}
            className={`imageparser-viewer-star ${codicon(value <= rating ? 'star-full' : 'star-empty')}`}
            title={nls.localize('imageparser/viewer/rateTitle', 'Rate {0} (key {0})', value)}
            onClick={() => onRate(rating === value ? 0 : value)} />)}
        <span className='imageparser-viewer-rating-value'>{rating ? `${rating}/5` : nls.localize('imageparser/viewer/unrated', 'Not rated')}</span>
    </div>;
}
