/** A meaning the tiny sentence model knows, with the English and Korean words that carry it. */
export interface SynonymGroup {
    readonly name: string;
    readonly words: readonly string[];
}

/**
 * The meanings of the tiny sentence-embedding model: words of one group
 * land close together (each its own small step away from the group's
 * direction), groups lie at right angles, so "kitten" and "고양이" find a
 * caption about a cat and not one about a dog.
 */
export const SYNONYM_GROUPS: readonly SynonymGroup[] = [
    { name: 'cat', words: ['cat', 'cats', 'kitten', 'kittens', 'kitty', 'feline', '고양이', '새끼고양이', '냥이', '야옹이'] },
    { name: 'dog', words: ['dog', 'dogs', 'puppy', 'puppies', 'hound', 'canine', '강아지', '개', '멍멍이', '댕댕이'] },
    { name: 'car', words: ['car', 'cars', 'automobile', 'vehicle', 'sedan', '자동차', '차', '승용차'] },
    { name: 'sea', words: ['sea', 'ocean', 'beach', 'waves', 'seaside', '바다', '해변', '바닷가', '파도'] },
    { name: 'mountain', words: ['mountain', 'mountains', 'hill', 'peak', '산', '언덕', '봉우리'] },
    { name: 'food', words: ['food', 'meal', 'dish', 'dinner', 'lunch', '음식', '요리', '식사'] },
    { name: 'bird', words: ['bird', 'birds', 'sparrow', 'pigeon', '새', '참새', '비둘기'] },
    { name: 'flower', words: ['flower', 'flowers', 'blossom', 'rose', '꽃', '장미', '꽃송이'] },
    { name: 'house', words: ['house', 'home', 'building', 'cottage', '집', '건물', '주택'] },
    { name: 'tree', words: ['tree', 'trees', 'forest', 'woods', '나무', '숲', '수풀'] },
    { name: 'person', words: ['person', 'people', 'man', 'woman', 'child', '사람', '남자', '여자', '아이'] },
    { name: 'city', words: ['city', 'street', 'downtown', 'town', '도시', '거리', '시내'] },
    { name: 'night', words: ['night', 'evening', 'dark', 'midnight', '밤', '저녁', '야경'] },
    { name: 'sleep', words: ['sleeping', 'asleep', 'sleeps', 'nap', 'napping', '자는', '잠자는', '낮잠'] },
    { name: 'run', words: ['running', 'runs', 'run', 'sprinting', '달리는', '뛰는', '달리기'] }
];

/** Words that carry little meaning: they are tokens of their own, but each adds only a faint shared direction. */
export const FILLER_WORDS: readonly string[] = [
    'a', 'an', 'the', 'of', 'on', 'in', 'at', 'with', 'and', 'is', 'are', 'photo', 'picture', 'image', 'some', 'two', 'near', 'by',
    '사진', '그림', '이미지', '위에서', '위의', '있는', '한', '두', '마리', '그리고'
];
